package readers

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// FuzzXLSX feeds the XLSX reader workbooks made from arbitrary bytes, seeded with every workbook
// of testdata/xlsx (LibreOffice, openpyxl, xlsxwriter and excelize): as whole files (asWorkbook)
// or as the sheet XML of a workbook that is otherwise well formed, since a mutated zip rarely gets
// past its checksums. Whatever the input, nothing panics or hangs; an error of Open or Next names
// the file; and every row comes after the header and the row before it, has one value per column
// and one kind per value.
func FuzzXLSX(f *testing.F) {
	seeds, err := filepath.Glob("testdata/xlsx/*.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	headers, err := filepath.Glob("testdata/headers/*.xlsx") // openpyxl, header rows
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(seeds, headers...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true, uint8(0))
		for _, sheet := range zipParts(f, data, "xl/worksheets/") {
			f.Add(sheet, false, uint8(0))
			f.Add(sheet, false, uint8(3))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, asWorkbook bool, headerRow uint8) {
		file := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if asWorkbook {
			if err := os.WriteFile(file, data, 0o600); err != nil {
				t.Fatal(err)
			}
		} else {
			file = writeWorkbook(t, string(data))
		}
		s, err := OpenXLSX(&spec.Source{Path: "fuzz.xlsx", File: file, HeaderRow: int(headerRow % 8)})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.xlsx") {
				t.Fatalf("Open error does not name the file: %v", err)
			}
			return
		}
		defer s.Close()
		prev := 0
		for {
			row, err := s.Next(t.Context())
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fuzz.xlsx") {
					t.Fatalf("Next error does not name the file: %v", err)
				}
				return
			}
			if row.Origin.File != "fuzz.xlsx" || row.Origin.Sheet == "" {
				t.Fatalf("row origin %+v", row.Origin)
			}
			if row.Origin.Line <= prev {
				t.Fatalf("row on line %d after line %d", row.Origin.Line, prev)
			}
			prev = row.Origin.Line
			if len(row.Values) != len(row.Columns) || len(row.Kinds) != len(row.Columns) {
				t.Fatalf("%d values and %d kinds for %d columns", len(row.Values), len(row.Kinds), len(row.Columns))
			}
		}
	})
}

// zipParts returns the contents of the zip members of data under prefix.
func zipParts(f *testing.F, data []byte, prefix string) [][]byte {
	f.Helper()
	zr, err := zip.NewReader(strings.NewReader(string(data)), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	var parts [][]byte
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, prefix) || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			f.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			f.Fatal(err)
		}
		parts = append(parts, b)
	}
	return parts
}
