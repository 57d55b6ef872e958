package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// ErrorsColumn is the column a fix file adds to the source's own. Typing ignores a column of this
// name, so a corrected fix file can be fed back as the source unchanged.
const ErrorsColumn = "bulkload_errors"

// writeFixFiles writes, for every source with invalid or failed rows, those rows in their original columns
// plus ErrorsColumn: CSV for CSV sources (same delimiter and encoding), XLSX for XLSX sources
// (header on the same row), JSONL for JSON sources. The rows are read again from the source, so
// the fix file holds exactly what the file holds.
func writeFixFiles(ctx context.Context, dir string, job *spec.Job, store *Store, sum *Summary) error {
	invalid, err := store.RowsToFix(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(invalid))
	for name := range invalid {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, ok := job.Source(name)
		if !ok {
			continue
		}
		file, err := writeFixFile(ctx, filepath.Join(dir, FixDir), src, invalid[name])
		if err != nil {
			return fmt.Errorf("fix file for source %s: %w", name, err)
		}
		rel, _ := filepath.Rel(dir, file)
		sum.FixFiles = append(sum.FixFiles, rel)
	}
	return nil
}

// fixWriter writes the rows of one fix file.
type fixWriter interface {
	header(columns []string) error
	row(r readers.Row, errs string) error
	close() error
}

func writeFixFile(ctx context.Context, dir string, src *spec.Source, rows map[RowRef][]Message) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	format, err := readers.Format(src)
	if err != nil {
		return "", err
	}
	in, err := readers.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	var w fixWriter
	var path string
	switch format {
	case "csv":
		path = filepath.Join(dir, src.Name+".csv")
		w, err = newCSVFix(path, src)
	case "xlsx":
		path = filepath.Join(dir, src.Name+".xlsx")
		w, err = newXLSXFix(path, src)
		if err == nil {
			err = w.(*xlsxFix).styleDates(src)
		}
	default:
		path = filepath.Join(dir, src.Name+".jsonl")
		w, err = newJSONFix(path)
	}
	if err != nil {
		return "", err
	}
	wroteHeader := false
	// Reading stops after the last invalid row, so a source whose end could not be read (the
	// run then reports only the rows before that) still gets its fix file.
	for left := len(rows); left > 0; {
		r, err := in.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.close()
			return "", err
		}
		ms, ok := rows[RowRef{Source: src.Name, Line: r.Origin.Line, Path: r.Origin.Path}]
		if !ok {
			continue
		}
		left--
		if !wroteHeader {
			if err := w.header(r.Columns); err != nil {
				w.close()
				return "", err
			}
			wroteHeader = true
		}
		if err := w.row(r, joinMessages(ms)); err != nil {
			w.close()
			return "", err
		}
	}
	return path, w.close()
}

// csvFix writes a CSV fix file with the source's delimiter and encoding.
type csvFix struct {
	f *os.File
	w *csv.Writer
}

func newCSVFix(path string, src *spec.Source) (*csvFix, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	var out io.Writer = f
	switch strings.ToLower(src.Encoding) {
	case "windows-1252", "cp1252":
		out = charmap.Windows1252.NewEncoder().Writer(f)
	case "iso-8859-1", "latin1":
		out = charmap.ISO8859_1.NewEncoder().Writer(f)
	}
	w := csv.NewWriter(out)
	switch src.Delimiter {
	case ";", "|":
		w.Comma = rune(src.Delimiter[0])
	case "\t", `\t`:
		w.Comma = '\t'
	}
	return &csvFix{f: f, w: w}, nil
}

func (c *csvFix) header(columns []string) error {
	return c.w.Write(append(append([]string{}, columns...), ErrorsColumn))
}

func (c *csvFix) row(r readers.Row, errs string) error {
	rec := make([]string, 0, len(r.Values)+1)
	for _, v := range r.Values {
		rec = append(rec, fmt.Sprint(v))
	}
	return c.w.Write(append(rec, errs))
}

func (c *csvFix) close() error {
	c.w.Flush()
	return errors.Join(c.w.Error(), c.f.Close())
}

// xlsxFix writes an XLSX fix file with excelize's stream writer, the header on the source's
// header row so the same spec reads it.
type xlsxFix struct {
	path string
	f    *excelize.File
	sw   *excelize.StreamWriter
	next int
	// styles maps a date or date-time column to its date style.
	styles map[string]int
}

func newXLSXFix(path string, src *spec.Source) (*xlsxFix, error) {
	f := excelize.NewFile()
	sheet := src.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			f.Close()
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxFix{path: path, f: f, sw: sw, next: max(src.HeaderRow, 1)}, nil
}

func (x *xlsxFix) header(columns []string) error {
	cells := make([]any, 0, len(columns)+1)
	for _, c := range columns {
		cells = append(cells, c)
	}
	return x.put(append(cells, ErrorsColumn))
}

// styleDates gives the date and date-time columns of the source's schema a date format, so
// that their serial numbers show as dates in the fix file, as they did in the source.
func (x *xlsxFix) styleDates(src *spec.Source) error {
	rs, err := schemas.LoadRow(src.Schema)
	if err != nil {
		return err
	}
	x.styles = map[string]int{}
	for _, c := range rs.Columns() {
		layout := ""
		switch c.Type {
		case schemas.TypeDate:
			layout = "yyyy-mm-dd"
		case schemas.TypeDateTime:
			layout = "yyyy-mm-dd hh:mm:ss"
		default:
			continue
		}
		id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
		if err != nil {
			return err
		}
		x.styles[c.Name] = id
	}
	return nil
}

func (x *xlsxFix) row(r readers.Row, errs string) error {
	cells := make([]any, 0, len(r.Values)+1)
	for i, v := range r.Values {
		s := fmt.Sprint(v)
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || s == "":
			cells = append(cells, s)
		case i < len(r.Columns) && x.styles[r.Columns[i]] != 0:
			cells = append(cells, excelize.Cell{StyleID: x.styles[r.Columns[i]], Value: n})
		default:
			cells = append(cells, n) // keep numbers numbers
		}
	}
	return x.put(append(cells, errs))
}

func (x *xlsxFix) put(cells []any) error {
	cell, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxFix) close() error {
	err := x.sw.Flush()
	if err == nil {
		err = x.f.SaveAs(x.path)
	}
	return errors.Join(err, x.f.Close())
}

// jsonFix writes a JSONL fix file: one object per invalid row with its origin, errors and fields.
type jsonFix struct {
	f   *os.File
	enc *json.Encoder
}

func newJSONFix(path string) (*jsonFix, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	return &jsonFix{f: f, enc: enc}, nil
}

func (j *jsonFix) header([]string) error { return nil }

func (j *jsonFix) row(r readers.Row, errs string) error {
	fields := make(map[string]any, len(r.Columns))
	for i, c := range r.Columns {
		if i < len(r.Values) {
			fields[c] = r.Values[i]
		}
	}
	return j.enc.Encode(map[string]any{"origin": r.Origin.String(), ErrorsColumn: errs, "row": fields})
}

func (j *jsonFix) close() error { return j.f.Close() }
