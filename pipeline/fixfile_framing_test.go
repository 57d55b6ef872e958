package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// framingJob reads items.csv; the test adds the source's options before "}".
const framingJob = `version: 1
name: framing
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: items, file: items.csv, schema: item.schema.json}
entities:
  - name: item
    source: items
    entityType: Item
    action: Create
    userObjectId: row.code
    properties: {code: row.code, name: row.name, qty: row.qty}
`

// framingSchema makes qty an integer: the rows where it is not are the fix file's.
const framingSchema = `{"type": "object", "required": ["code"], "properties": {"code": {"type": "string"},
  "name": {"type": "string"}, "qty": {"type": "integer"}}}`

// TestCSVFixFileKeepsFraming checks that a CSV fix file is framed exactly as its source: for an
// Excel "CSV UTF-8" file and its windows-1252 and LF variants, with the delimiter detected or
// declared and a title line above the header, the fix file's bytes are the source's BOM, the
// lines above the header and the header, then each kept row's bytes, each with the fix columns
// added before its line break; valid rows are left out.
func TestCSVFixFileKeepsFraming(t *testing.T) {
	tests := []struct {
		name, options string
		bom, nl, enc  string
		headerRow     int
		rows          []string // the source's records, header first, without their line breaks
		kept          []int    // the records (indexes into rows) the fix file holds
		origins       []string
	}{
		{
			name: "excel csv utf-8, detected", bom: "\xef\xbb\xbf", nl: "\r\n",
			rows: []string{"code;name;qty", "A1;Müller;2", `A2;"x;y";two`, `A3;"line one` + "\r\n" + `line two";3.5`, "A4;ok;4"},
			kept: []int{2, 3}, origins: []string{"items.csv:3", "items.csv:4"},
		},
		{
			name: "excel csv utf-8, declared", options: `, delimiter: ";"`, bom: "\xef\xbb\xbf", nl: "\r\n",
			rows: []string{"code;name;qty", "A1;x;many", "A2;y;1"},
			kept: []int{1}, origins: []string{"items.csv:2"},
		},
		{
			name: "excel csv windows-1252, detected", options: ", encoding: windows-1252", nl: "\r\n", enc: "windows-1252",
			rows: []string{"code;name;qty", "A1;M\xfcller;zwei", "A2;\"Caf\xe9 \"\"Noir\"\"\";1", "A3;\xc9t\xe9;1,5"},
			kept: []int{1, 3}, origins: []string{"items.csv:2", "items.csv:4"},
		},
		{
			name: "LF, comma, title line above the header", options: ", header_row: 2", nl: "\n", headerRow: 2,
			rows: []string{"Stock list", "code,name,qty", "A1,x,1", `"A2","quoted",x`},
			kept: []int{3}, origins: []string{"items.csv:4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := strings.Replace(framingJob, "schema: item.schema.json}", "schema: item.schema.json"+tt.options+"}", 1)
			source := tt.bom + strings.Join(tt.rows, tt.nl) + tt.nl
			out := dryRun(t, map[string]string{"job.yaml": job, "item.schema.json": framingSchema, "items.csv": source})
			got, err := os.ReadFile(filepath.Join(out.RunDir, "fix", "items.csv"))
			if err != nil {
				t.Fatal(err)
			}
			delim := ";"
			if strings.Contains(tt.rows[max(tt.headerRow, 1)-1], ",") {
				delim = ","
			}
			want := tt.bom
			header := max(tt.headerRow, 1) - 1
			for _, line := range tt.rows[:header] {
				want += line + tt.nl
			}
			want += tt.rows[header] + delim + "bulkload_errors" + delim + "bulkload_origin" + tt.nl
			if !bytes.HasPrefix(got, []byte(want)) {
				t.Fatalf("fix file does not start with the source's framing and header\n got  %q\n want %q", got, want)
			}
			rest := got[len(want):]
			for i, k := range tt.kept {
				prefix := tt.rows[k] + delim + `"`
				if !bytes.HasPrefix(rest, []byte(prefix)) {
					t.Fatalf("kept row %d: got %q, want the source's bytes %q then the errors cell", i, rest, prefix)
				}
				end := delim + tt.origins[i] + tt.nl
				at := bytes.Index(rest, []byte(end))
				if at < 0 {
					t.Fatalf("kept row %d: no %q in %q", i, end, rest)
				}
				if errs := string(rest[len(prefix):at]); !strings.Contains(errs, ":qty: ") {
					t.Errorf("kept row %d: errors cell %q does not name the qty cell", i, errs)
				}
				rest = rest[at+len(end):]
			}
			if len(rest) != 0 {
				t.Errorf("after the kept rows: %q, want nothing", rest)
			}
		})
	}
}
