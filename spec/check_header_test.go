package spec

import (
	"slices"
	"strings"
	"testing"
)

// headerlessHead is a spec whose one source is completed by each case's source keys.
const headerlessHead = `version: 1
name: t
target: {kind: onkey, url: "http://h", tenant: a, connection: b}
sources:
  - name: s
    file: s.csv
    schema: s.schema.json
`

func TestHeaderlessSourceKeys(t *testing.T) {
	tests := []struct {
		name        string
		keys        string
		want        string   // the error text, "" for none
		wantColumns []string // with no error
		wantRow     int
	}{
		{name: "header_row 0 with columns", keys: "    header_row: 0\n    columns: [OrderNo, Qty]\n", wantColumns: []string{"OrderNo", "Qty"}, wantRow: 0},
		{name: "default header row", keys: "", wantRow: 1},
		{name: "header_row 0 without columns", keys: "    header_row: 0\n",
			want: "job.yaml:8:17: sources[0].header_row: header_row: 0 means the file has no header row; name its columns with columns: [...], in order"},
		{name: "columns with a header row", keys: "    columns: [a, b]\n",
			want: "job.yaml:8:5: sources[0].columns: columns names the columns of a file without a header row; add header_row: 0, or leave columns out to take the names from row 1"},
		{name: "duplicate column", keys: "    header_row: 0\n    columns: [a, b, a]\n",
			want: `job.yaml:9:21: sources[0].columns[2]: duplicate column name "a" (also column 1)`},
		{name: "column with a trailing space", keys: "    header_row: 0\n    columns: [a, \"b \"]\n",
			want: `job.yaml:9:18: sources[0].columns[1]: column name "b " has white space around it; write "b"`},
		{name: "negative header row", keys: "    header_row: -1\n",
			want: "job.yaml:8:17: sources[0].header_row: must be >= 0"},
		{name: "columns on a JSON source", keys: "    format: json\n    header_row: 0\n    columns: [a]\n",
			want: "applies to csv or xlsx sources only; this source is json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entities := "entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.a}]\n"
			job, text := loadIn(t, map[string]string{"job.yaml": headerlessHead + tt.keys + entities}, nil)
			if tt.want != "" {
				if !strings.Contains(text, tt.want) {
					t.Fatalf("error:\n%s\nwant it to contain:\n%s", text, tt.want)
				}
				return
			}
			if text != "" {
				t.Fatalf("unexpected error:\n%s", text)
			}
			s := job.Sources[0]
			if !slices.Equal(s.Columns, tt.wantColumns) || s.HeaderRow != tt.wantRow {
				t.Errorf("columns %q, header_row %d; want %q, %d", s.Columns, s.HeaderRow, tt.wantColumns, tt.wantRow)
			}
		})
	}
}
