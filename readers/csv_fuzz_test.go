package readers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCSV feeds arbitrary bytes, with each delimiter setting, several encodings and header rows,
// to the CSV reader, within small limits so that inputs reach them. Whatever the input, nothing
// panics or hangs; an error of Open names the file; Next fails only on a record over the limit,
// naming the file; and every row starts on a line after the header and after the previous row,
// has the header's columns, and either has valid UTF-8 values without NUL bytes and within the
// cell limit, one per column, or has Err set.
func FuzzCSV(f *testing.F) {
	seeds, err := filepath.Glob("testdata/csv/*")
	if err != nil {
		f.Fatal(err)
	}
	more, err := filepath.Glob("testdata/headers/*.csv")
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, more...)
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0), uint8(0), uint8(0))
		f.Add(data, uint8(2), uint8(1), uint8(2))
	}
	f.Add([]byte("a,b\n1,\"2\n"), uint8(1), uint8(0), uint8(1))
	f.Add([]byte("\xff\xfea\x00,\x00b\x00\n\x00\x00\xd8"), uint8(0), uint8(2), uint8(0))

	delimiters := []string{"", ",", ";", `\t`, "|"}
	encodings := []string{"utf-8", "windows-1252", "utf-16le", "utf-16be", "iso-8859-1"}
	f.Fuzz(func(t *testing.T, data []byte, delim, enc, headerRow uint8) {
		d, err := parseDelimiter(delimiters[int(delim)%len(delimiters)])
		if err != nil {
			t.Fatal(err)
		}
		e, err := lookupEncoding(encodings[int(enc)%len(encodings)])
		if err != nil {
			t.Fatal(err)
		}
		hr := int(headerRow % 8)
		lim := Limits{CellBytes: 64, RecordBytes: 256, Columns: 16}.withDefaults()
		s, err := newCSVSource(io.NopCloser(bytes.NewReader(data)), "fuzz.csv", d, e, hr, nil, lim)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("Open error does not name the file: %v", err)
			}
			return
		}
		defer s.Close()
		if s.headerLine < max(hr, 1) {
			t.Fatalf("header on line %d, before header_row %d", s.headerLine, hr)
		}
		prev := s.headerLine
		for n := 0; ; n++ {
			if n > len(data) {
				t.Fatalf("more rows (%d) than input bytes", n)
			}
			row, err := s.Next(context.Background())
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.csv") || !strings.Contains(err.Error(), "limit for one record") {
					t.Fatalf("Next: %v", err)
				}
				return
			}
			if row.Origin.File != "fuzz.csv" || row.Origin.Line <= prev {
				t.Fatalf("row %d: origin %+v after line %d", n, row.Origin, prev)
			}
			prev = row.Origin.Line
			if !reflect.DeepEqual(row.Columns, s.columns) {
				t.Fatalf("row %d: columns %q, want %q", n, row.Columns, s.columns)
			}
			if row.Err != nil {
				if !strings.HasPrefix(row.Err.Error(), "fuzz.csv:") {
					t.Fatalf("row %d: error does not name the file: %v", n, row.Err)
				}
				continue
			}
			if len(row.Values) != len(row.Columns) {
				t.Fatalf("row %d: %d values for %d columns and no error", n, len(row.Values), len(row.Columns))
			}
			for i, v := range row.Values {
				if str, ok := v.(string); !ok || !utf8.ValidString(str) || strings.IndexByte(str, 0) >= 0 || len(str) > lim.CellBytes {
					t.Fatalf("row %d: value %d (%q) is not valid UTF-8 text within the cell limit and the row has no error", n, i, v)
				}
			}
		}
	})
}
