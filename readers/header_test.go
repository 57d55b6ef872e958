package readers

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// The fixtures in testdata/headers are written by make-fixtures.py there: the workbook by
// openpyxl, the CSV files byte for byte.

// openHeaderFixture opens a file of testdata/headers as a spec would name it.
func openHeaderFixture(t *testing.T, name string, src spec.Source) (Source, error) {
	t.Helper()
	src.Name, src.Path, src.File = "test", name, filepath.Join("testdata", "headers", name)
	return Open(&src)
}

// renderRows renders each row as its origin and its cells, column=value.
func renderRows(rows []Row) []string {
	var out []string
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(r.Origin.String())
		for i, c := range r.Columns {
			fmt.Fprintf(&b, " %s=%q", c, r.Values[i])
		}
		if r.Err != nil {
			fmt.Fprintf(&b, " ERR %v", r.Err)
		}
		out = append(out, b.String())
	}
	return out
}

func TestHeaderRows(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		src    spec.Source
		want   string   // the error of Open, "" for none
		header []string // with no error
		rows   []string
	}{
		{name: "CSV blank header_row", file: "blank-header-row.csv", src: spec.Source{HeaderRow: 2},
			want: "blank-header-row.csv:2: no header: line 2 (header_row) is blank; the first non-blank line after it is line 3: set header_row: 3 if that line holds the column names"},
		{name: "CSV blank line 1 is not skipped", file: "blank-header-row.csv", src: spec.Source{HeaderRow: 1},
			header: []string{"Order export 2026-11"},
			rows:   []string{`blank-header-row.csv:3 Order export 2026-11="OrderNo" ERR blank-header-row.csv:3: has 2 fields, the header has 1`, `blank-header-row.csv:4 Order export 2026-11="10001" ERR blank-header-row.csv:4: has 2 fields, the header has 1`}},
		{name: "CSV header on its declared line", file: "blank-header-row.csv", src: spec.Source{HeaderRow: 3},
			header: []string{"OrderNo", "Qty"}, rows: []string{`blank-header-row.csv:4 OrderNo="10001" Qty="2"`}},
		{name: "CSV without a header", file: "headerless.csv", src: spec.Source{Columns: []string{"OrderNo", "Qty", "Note"}},
			header: []string{"OrderNo", "Qty", "Note"},
			rows:   []string{`headerless.csv:1 OrderNo="10001" Qty="2" Note="first"`, `headerless.csv:2 OrderNo="10002" Qty="5" Note="second"`}},
		{name: "CSV without a header, too few columns named", file: "headerless.csv", src: spec.Source{Columns: []string{"OrderNo", "Qty"}},
			header: []string{"OrderNo", "Qty"},
			rows: []string{`headerless.csv:1 OrderNo="10001" Qty="2" ERR headerless.csv:1: has 3 fields, the header has 2`,
				`headerless.csv:2 OrderNo="10002" Qty="5" ERR headerless.csv:2: has 3 fields, the header has 2`}},
		{name: "XLSX blank header_row", file: "header-rows.xlsx", src: spec.Source{Sheet: "Blank header", HeaderRow: 2},
			want: "header-rows.xlsx Blank header!2: no header: row 2 (header_row) is blank; the first non-blank row after it is row 3: set header_row: 3 if that row holds the column names"},
		{name: "XLSX header on its declared row", file: "header-rows.xlsx", src: spec.Source{Sheet: "Blank header", HeaderRow: 3},
			header: []string{"Code", "Description"}, rows: []string{`header-rows.xlsx Blank header!4 Code="S-001" Description="Head office"`}},
		{name: "XLSX blank header_row and nothing after it", file: "header-rows.xlsx", src: spec.Source{Sheet: "Only blank", HeaderRow: 2},
			want: `header-rows.xlsx: sheet "Only blank": no header: row 2 (header_row) and the rows after it are blank or missing`},
		{name: "XLSX without a header", file: "header-rows.xlsx", src: spec.Source{Sheet: "No header", Columns: []string{"Code", "Description"}},
			header: []string{"Code", "Description"},
			rows:   []string{`header-rows.xlsx No header!1 Code="S-001" Description="Head office"`, `header-rows.xlsx No header!2 Code="S-002" Description="Depot"`}},
		{name: "XLSX without a header, too few columns named", file: "header-rows.xlsx", src: spec.Source{Sheet: "No header", Columns: []string{"Code"}},
			header: []string{"Code"},
			rows: []string{`header-rows.xlsx No header!1 Code="S-001" ERR header-rows.xlsx No header!1: cell B1 holds "Head office" but the header has only 1 columns (A to A)`,
				`header-rows.xlsx No header!2 Code="S-002" ERR header-rows.xlsx No header!2: cell B2 holds "Depot" but the header has only 1 columns (A to A)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openHeaderFixture(t, tt.file, tt.src)
			if !opened(t, s, err, tt.want) {
				return
			}
			if got := s.(Headed).Header(); !slices.Equal(got, tt.header) {
				t.Errorf("header %q, want %q", got, tt.header)
			}
			got := renderRows(readAll(t, s))
			if !slices.Equal(got, tt.rows) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.rows, "\n"))
			}
		})
	}
}
