package readers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// typedRows opens src (a file of testdata/xlsx), types every row with the schema beside it and
// renders each as its origin line, its typed values as JSON and its cell errors.
func typedRows(t *testing.T, src spec.Source, schemaFile string) []string {
	t.Helper()
	src.Name, src.File = "test", filepath.Join("testdata", "xlsx", src.Path)
	schema, err := schemas.LoadRow(filepath.Join("testdata", "xlsx", schemaFile))
	if err != nil {
		t.Fatal(err)
	}
	typer, err := transforms.NewTyper(&src, schema)
	if err != nil {
		t.Fatal(err)
	}
	s, err := readers.Open(&src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []string
	for {
		row, err := s.Next(t.Context())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		typed, errs := typer.Type(row)
		js, err := json.Marshal(typed)
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("%d %s", row.Origin.Line, js)
		for _, e := range errs {
			line += fmt.Sprintf(" | %s %s", e.Column, e.Msg)
		}
		out = append(out, line)
	}
}

// The LibreOffice workbook is typed by its schema: date serials become ISO dates in the
// workbook's date system (1900, with its phantom 29 February, or 1904), "3" stored as a float
// becomes an integer, decimals stay exact, formulas give their cached values, and a cell that
// cannot be typed is an error on that cell showing its raw value.
func TestXLSXTypedBySchema(t *testing.T) {
	tests := []struct {
		name   string
		src    spec.Source
		schema string
		want   []string
	}{
		{"sites", spec.Source{Path: "sites.xlsx", Sheet: "Sites", HeaderRow: 3}, "sites.schema.json", []string{
			`4 {"Area":1234.5,"Code":"S-001","FloorArea":3703.5,"Floors":3,"Label":"S-001 Head office","Name":"Head office","Opened":"2026-02-28"}`,
			`5 {"Area":0.25,"Code":"S-002","FloorArea":3,"Floors":12,"Label":"S-002 Lager Nord \"Ås\" \u0026 co","Name":"Lager Nord \"Ås\" \u0026 co","Opened":"2024-01-02"}`,
			`7 {"Area":99999.99,"Code":"S-003","FloorArea":99999.99,"Floors":1,"Label":"S-003 Depot","Name":"Depot","Opened":"1900-03-01"}`,
			`9 {"Code":"S-004","FloorArea":0,"Floors":0,"Name":"Tomt"}`,
			`10 {"Area":-12.75,"Code":"S-005","FloorArea":-25.5,"Floors":2,"Label":"S-005 Skur","Name":"Skur","Opened":"2000-02-29"}`,
			`11 {"Area":1000000,"Code":"S-006","FloorArea":40000000,"Floors":40,"Label":"S-006 Siste dag","Name":"Siste dag","Opened":"9999-12-31"}`,
			`12 {"Area":5,"Code":"S-007","FloorArea":7.5,"Label":"S-007 Feil","Name":"Feil"} | Opened "31.02.2026" is not a date (expected YYYY-MM-DD) | Floors the cell holds the number 1.5, which is not an integer`,
		}},
		{"1904 date system", spec.Source{Path: "dates1904.xlsx"}, "dates1904.schema.json", []string{
			`2 {"At":"1904-01-02T06:00:00Z","Day":"1904-01-02","Event":"epoch"}`,
			`3 {"At":"2024-02-29T10:30:00Z","Day":"2024-02-29","Event":"leap"}`,
			`4 {"At":"1999-12-31T23:59:00Z","Day":"2000-01-01","Event":"y2k"}`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := typedRows(t, tt.src, tt.schema)
			if len(got) != len(tt.want) {
				t.Errorf("got %d rows, want %d", len(got), len(tt.want))
			}
			for i := range max(len(got), len(tt.want)) {
				var g, w string
				if i < len(got) {
					g = got[i]
				}
				if i < len(tt.want) {
					w = tt.want[i]
				}
				if g != w {
					t.Errorf("row %d:\n got %s\nwant %s", i, g, w)
				}
			}
		})
	}
}

// The same sheet saved as a Windows-1252 CSV with Norwegian number and date formats (as a data
// owner's export would be) types to the same values: a source's format does not change a record.
func TestXLSXAndCSVTypeAlike(t *testing.T) {
	xlsx := typedRows(t, spec.Source{Path: "sites.xlsx", Sheet: "Sites", HeaderRow: 3}, "sites.schema.json")
	csv := typedRows(t, spec.Source{Path: "sites-export.csv", Delimiter: ";", Encoding: "windows-1252", Typing: spec.Typing{
		Decimal: ",", Thousands: " ", DateLayouts: []string{"02.01.2006"}, Trim: true,
	}}, "sites.schema.json")
	if len(xlsx) != len(csv) {
		t.Fatalf("%d XLSX rows, %d CSV rows", len(xlsx), len(csv))
	}
	for i := range xlsx {
		// Drop the origin line (the CSV has no title rows) and the error texts (they quote the
		// raw cells, which differ); keep the typed values and the columns in error.
		x, c := typedPart(xlsx[i]), typedPart(csv[i])
		if x != c {
			t.Errorf("row %d:\nXLSX %s\n CSV %s", i, x, c)
		}
	}
}

// typedPart returns a typedRows line without its origin line number and with each error reduced
// to its column.
func typedPart(line string) string {
	_, rest, _ := strings.Cut(line, " ")
	parts := strings.Split(rest, " | ")
	for i := 1; i < len(parts); i++ {
		parts[i], _, _ = strings.Cut(parts[i], " ")
	}
	return strings.Join(parts, " | ")
}
