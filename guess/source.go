package guess

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
)

// DefaultSampleRows is how many data rows of each source init looks at unless told otherwise.
const DefaultSampleRows = 10000

// Source is what init concluded about one source: one CSV file, one sheet, or JSON documents.
type Source struct {
	// Name is the source's name in the job (an identifier); File is the path the job names,
	// relative to the job's folder; Abs is the file's absolute path.
	Name, File, Abs string
	// Label is the sheet's name or the file's base name as they are written, for entity names.
	Label  string
	Format string // csv, xlsx, json or jsonl
	Sheet  string // XLSX
	// CSV: the delimiter, the encoding to declare ("" for UTF-8) and why.
	Delimiter         rune
	Encoding, EncNote string
	// HeaderRow is the 1-based line or row of the column names (CSV, XLSX); Titles are the
	// non-blank rows above it.
	HeaderRow int
	Titles    []string
	// Rows is the number of data rows looked at; More says the file has more (the sample limit
	// was reached). RowErrors counts rows the reader delivered with a problem.
	Rows      int
	More      bool
	RowErrors int
	Columns   []Column
	// Typing: the number locale (Decimal "" means the default "."), the non-ISO date and
	// date-time layouts, and the boolean words when they are not the typing's defaults.
	Decimal, Thousands           string
	DateLayouts, DateTimeLayouts []string
	TrueWords, FalseWords        []string
	// PairRows is the number of rows a pair key was checked on (at most keyRows).
	PairRows int
	// Key is the column whose values are unique and never blank, for userObjectId ("" if none);
	// Key2, when set, is a second column that makes Key unique with it (no single column is).
	Key, Key2 string
	// Notes say what concerns the source as a whole, one comment line each.
	Notes []string
	// hints are the types the first rows of a sheet show for some columns (date-styled cells).
	hints map[string]Type
}

// Options control guessing.
type Options struct {
	// SampleRows is how many data rows of each source are looked at (default DefaultSampleRows).
	SampleRows int
	// Dir is the folder the job is written to: File paths are relative to it.
	Dir string
}

// File guesses the sources of one file: one for a CSV or JSON file (or folder of JSON files),
// one per non-empty sheet of a workbook. Errors name the file (and sheet).
func File(ctx context.Context, path string, opts Options) ([]Source, error) {
	if opts.SampleRows <= 0 {
		opts.SampleRows = DefaultSampleRows
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(opts.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not inside %s: a job's files must be in its folder or below (choose --out)", path, opts.Dir)
	}
	rel = filepath.ToSlash(rel)
	if _, err := os.Stat(abs); err != nil {
		return nil, err
	}
	base := &spec.Source{Path: rel, File: abs}
	format, err := readers.Format(base)
	if err != nil {
		return nil, err
	}
	base.Format = format
	switch format {
	case "csv":
		sn, err := sniffCSV(abs, rel)
		if err != nil {
			return nil, err
		}
		base.Delimiter, base.Encoding, base.HeaderRow = string(sn.delimiter), sn.encoding, sn.header.row
		s := Source{Delimiter: sn.delimiter, Encoding: sn.encoding, EncNote: sn.encNote, Titles: sn.header.titles}
		if err := sample(ctx, base, &s, opts.SampleRows); err != nil {
			return nil, err
		}
		return []Source{s}, nil
	case "xlsx":
		return sheets(ctx, base, opts.SampleRows)
	default:
		var s Source
		if err := sample(ctx, base, &s, opts.SampleRows); err != nil {
			return nil, err
		}
		return []Source{s}, nil
	}
}

// sample reads up to limit rows of src and fills in s from them.
func sample(ctx context.Context, src *spec.Source, s *Source, limit int) error {
	s.File, s.Abs, s.Format, s.Sheet, s.HeaderRow = src.Path, src.File, src.Format, src.Sheet, src.HeaderRow
	s.Name, s.Label = name(src)
	r, err := readers.Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	cols := map[string]*column{}
	var order []*column
	var texts [][]string // per row, the first keyColumns columns' values, for a pair key
	for s.Rows < limit {
		row, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if row.Err != nil {
			s.RowErrors++
		}
		s.Rows++
		if len(texts) < keyRows {
			texts = append(texts, keyTexts(row.Columns, row.Values))
		}
		for i, name := range row.Columns {
			c := cols[name]
			if c == nil {
				c = newColumn(name, limit)
				c.hint = s.hints[name]
				c.fromJSON = src.Format == "json" || src.Format == "jsonl"
				cols[name] = c
				order = append(order, c)
			}
			var v any
			if i < len(row.Values) {
				v = row.Values[i]
			}
			if v == nil {
				continue // counted as blank below: JSON rows may lack the key altogether
			}
			c.add(v, row.Origin.Cell(name, i))
		}
	}
	if s.Rows == 0 || len(order) == 0 {
		return fmt.Errorf("%w: %s", errNoRows, where(src))
	}
	if s.Rows == limit {
		if _, err := r.Next(ctx); err == nil {
			s.More = true
		}
	}
	for _, c := range order {
		c.blanks = s.Rows - c.nonBlank
	}
	s.decide(order)
	if s.Format != "csv" && s.Format != "xlsx" {
		texts = nil // JSON rows order their keys each their own way: no pairs
	}
	s.chooseKeys(texts)
	s.PairRows = len(texts)
	return nil
}

// errNoRows is the error of a source with no data rows (or, JSON, no fields): nothing to guess
// from.
var errNoRows = errors.New("no data rows to guess from")

// where names a source for messages: "book.xlsx Sites" or "orders.csv".
func where(src *spec.Source) string {
	if src.Sheet != "" {
		return src.Path + " " + src.Sheet
	}
	return src.Path
}

// name makes a source name (an identifier) from the sheet or the file's base name, and returns
// that label too.
func name(src *spec.Source) (string, string) {
	n := src.Sheet
	if n == "" {
		n = strings.TrimSuffix(filepath.Base(src.Path), filepath.Ext(src.Path))
	}
	return identifier(n), n
}

// identifier lower-cases s and replaces what an identifier may not hold by '_'.
func identifier(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "s_" + out
	}
	return out
}
