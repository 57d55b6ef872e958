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
// the fix file holds exactly what the file holds, with one exception in CSV fix files:
//
// A CSV cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
// carriage return, and not a plain number such as -12.5: see cellSafe) is written with a single
// quote in front, the neutraliser, so that opening the fix file runs nothing. The readers do not
// take the quote away (it could be real data), so it is part of the value when the fix file is
// run as the source: the row's ErrorsColumn cell names every cell that got one ("' added in
// front …; delete it before running this file as the source"), for the user to delete it while
// correcting the row. Column names that the source's schema declares are left as they are, so
// that the fix file is read with the same schema; other column names are neutralised too.
// XLSX fix files need no neutraliser (their strings are inline strings, never formulas) and JSONL
// fix files are not spreadsheets: both hold the values exactly.
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
	// The fix file is written under a temporary name and renamed once whole (tmpPath, commitFile).
	var w fixWriter
	var path string
	switch format {
	case "csv":
		path = filepath.Join(dir, src.Name+".csv")
		var rs *schemas.RowSchema
		if rs, err = schemas.LoadRow(src.Schema); err == nil {
			w, err = newCSVFix(tmpPath(path), src, rs)
		}
	case "xlsx":
		path = filepath.Join(dir, src.Name+".xlsx")
		w, err = newXLSXFix(tmpPath(path), src)
		if err == nil {
			err = w.(*xlsxFix).styleColumns(src)
		}
	default:
		path = filepath.Join(dir, src.Name+".jsonl")
		w, err = newJSONFix(tmpPath(path))
	}
	defer os.Remove(tmpPath(path)) // unless renamed into place
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
	if err := w.close(); err != nil {
		return "", err
	}
	return path, commitFile(path)
}

// csvFix writes a CSV fix file with the source's delimiter and encoding, every cell a
// spreadsheet would run neutralised (see writeFixFiles).
type csvFix struct {
	f *os.File
	w *csv.Writer
	// declared holds the column names the source's schema declares: kept exact in the header.
	declared map[string]bool
	// charmap is the source's single-byte encoding; nil for UTF-8.
	charmap *charmap.Charmap
}

func newCSVFix(path string, src *spec.Source, rs *schemas.RowSchema) (*csvFix, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	var out io.Writer = f
	var cm *charmap.Charmap
	switch strings.ToLower(src.Encoding) {
	case "windows-1252", "cp1252":
		cm = charmap.Windows1252
	case "iso-8859-1", "latin1":
		cm = charmap.ISO8859_1
	}
	if cm != nil {
		out = cm.NewEncoder().Writer(f)
	}
	w := csv.NewWriter(out)
	switch src.Delimiter {
	case ";", "|":
		w.Comma = rune(src.Delimiter[0])
	case "\t", `\t`:
		w.Comma = '\t'
	}
	declared := map[string]bool{}
	for _, c := range rs.Columns() {
		declared[c.Name] = true
	}
	return &csvFix{f: f, w: w, declared: declared, charmap: cm}, nil
}

func (c *csvFix) header(columns []string) error {
	rec := make([]string, 0, len(columns)+1)
	for _, name := range columns {
		if !c.declared[name] {
			name = cellSafe(name)
		}
		rec = append(rec, name)
	}
	return c.w.Write(append(rec, ErrorsColumn))
}

func (c *csvFix) row(r readers.Row, errs string) error {
	rec := make([]string, 0, len(r.Values)+1)
	for i, v := range r.Values {
		s := fmt.Sprint(v)
		safe := cellSafe(s)
		if safe != s {
			column := ""
			if i < len(r.Columns) {
				column = r.Columns[i]
			}
			if errs != "" {
				errs += "\n"
			}
			errs += r.Origin.Cell(column, i) + ": " + neutraliserNote
		}
		rec = append(rec, safe)
	}
	return c.w.Write(append(rec, c.fit(cellSafe(errs))))
}

// fit replaces, in a fix file with a single-byte encoding, each character the encoding cannot
// hold with '?'. Only messages need it (a target's answer may hold any character, and the
// encoder fails on one it cannot write); the source's own values came from that encoding.
func (c *csvFix) fit(s string) string {
	if c.charmap == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if _, ok := c.charmap.EncodeRune(r); !ok {
			return '?'
		}
		return r
	}, s)
}

// neutraliserNote is the message a CSV fix file adds for each cell it neutralised.
const neutraliserNote = "' added in front so that a spreadsheet shows the value as text and does not run it; delete it before running this file as the source"

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
	// kindStyles are the date styles of date cells in columns without one, by cell kind.
	kindStyles map[readers.CellKind]int
	// date1904 is set once the fix file is in the 1904 date system, as its source's rows are.
	date1904 bool
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

// styleColumns gives the date and date-time columns of the source's schema a date format, so
// that their date cells show as dates in the fix file, as they did in the source.
func (x *xlsxFix) styleColumns(src *spec.Source) error {
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

// row writes the row's cells as the source held them, by their kinds: text (and formula errors)
// as inline strings, never formulas, so that nothing needs a neutraliser and the values stay
// exact ("007" in a string column comes back as "007", not 7, and the text "45000" in a date
// column does not become a date); numbers as numbers; date cells as date-styled numbers (an
// Excel serial); booleans as booleans.
//
// The fix file keeps the source's date system, so that its serials stand for the same dates.
func (x *xlsxFix) row(r readers.Row, errs string) error {
	if r.Dates == readers.Excel1904 && !x.date1904 {
		on := true
		if err := x.f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
			return err
		}
		x.date1904 = true
	}
	cells := make([]any, 0, len(r.Values)+1)
	for i, v := range r.Values {
		s := fmt.Sprint(v)
		column := ""
		if i < len(r.Columns) {
			column = r.Columns[i]
		}
		kind := r.Kind(i)
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case kind == readers.KindBool:
			cells = append(cells, s == "TRUE")
		case kind == readers.KindText || kind == readers.KindError || err != nil || s == "" || strings.Trim(s, "0123456789+-.eE") != "":
			cells = append(cells, s) // text, or not a decimal number ("Inf", "0x1p3", "1_000"): as it is
		case kind == readers.KindDate || kind == readers.KindDateTime:
			style, err := x.dateStyle(column, kind)
			if err != nil {
				return err
			}
			cells = append(cells, excelize.Cell{StyleID: style, Value: n})
		default:
			cells = append(cells, n) // a number, in whatever column: not a date
		}
	}
	return x.put(append(cells, errs))
}

// dateStyle is the style of a date cell: its column's, or for a column that is not a date one,
// an ISO date or date-time style by the cell's kind.
func (x *xlsxFix) dateStyle(column string, kind readers.CellKind) (int, error) {
	if id := x.styles[column]; id != 0 {
		return id, nil
	}
	if id := x.kindStyles[kind]; id != 0 {
		return id, nil
	}
	layout := "yyyy-mm-dd"
	if kind == readers.KindDateTime {
		layout = "yyyy-mm-dd hh:mm:ss.000"
	}
	id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
	if err != nil {
		return 0, err
	}
	if x.kindStyles == nil {
		x.kindStyles = map[readers.CellKind]int{}
	}
	x.kindStyles[kind] = id
	return id, nil
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
