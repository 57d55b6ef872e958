package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/spec"
)

// orderSchema requires the three columns the header-check fixtures are about.
const orderSchema = `{"type": "object", "required": ["OrderNo", "Qty"],
 "properties": {"OrderNo": {"type": "string"}, "Qty": {"type": "integer"}, "Description": {"type": "string"}, "Note": {"type": "string"}}}`

// headerJob is an Onix Work job over one source; %SOURCE% and %PROPS% are filled in by each case.
const headerJob = `version: 1
name: header-check
target: {kind: onixwork, url: "http://127.0.0.1:1", auth: {kind: none}}
sources:
  - %SOURCE%
entities:
  - name: order
    source: s
    endpoint: /v1/orders
    userObjectId: row.OrderNo
    properties:
%PROPS%
`

// TestHeaderCheckedBeforeRows runs dry runs whose header does not hold what the job reads, with
// the fixtures of readers/testdata/headers, and checks the error a user sees: one per problem,
// before any row is evaluated (no run directory is written), never one per row.
func TestHeaderCheckedBeforeRows(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		source string
		props  string
		want   []string // the error's lines, $DIR for the folder; none: the dry run goes ahead
	}{
		{name: "case and a trailing space", file: "header-case-space.csv",
			source: "{name: s, file: header-case-space.csv, schema: order.schema.json}",
			props:  "      orderImportId: row.OrderNo\n      quantity: row.Qty\n      description: row.Descr",
			want: []string{
				`header-case-space.csv:1: the header has no column "OrderNo", which the schema order.schema.json requires of every row; the file has "orderNo" in another case (column names are matched exactly)`,
				`header-case-space.csv:1: the header has no column "Qty", which the schema order.schema.json requires of every row; the file has "Qty " with a trailing space (column names are matched exactly)`,
				`$DIR/job.yaml:14:20: entities[0].properties.description: entity "order" reads row.Descr, but the header (header-case-space.csv:1) has no column "Descr" and the schema does not declare it; did you mean "Description"?`,
			}},
		{name: "wrong delimiter", file: "wrong-delimiter.csv",
			source: `{name: s, file: wrong-delimiter.csv, delimiter: ",", schema: order.schema.json}`,
			props:  "      orderImportId: row.OrderNo\n      erpOrderDate: row.OrderDate",
			want: []string{
				`wrong-delimiter.csv:1: the header is one column, "OrderNo;OrderDate;Qty": the file seems to use ";" as its delimiter, not the declared ","; declare delimiter: ";"`,
			}},
		{name: "a column far from every name", file: "blank-header-row.csv",
			source: "{name: s, file: blank-header-row.csv, header_row: 3, schema: order.schema.json}",
			props:  "      orderImportId: row.OrderNo\n      quantity: row.Qty\n      x: 'row.Comment == nil ? 0 : 1'",
			want: []string{
				`$DIR/job.yaml:14:10: entities[0].properties.x: entity "order" reads row.Comment, but the header (blank-header-row.csv:3) has no column "Comment" and the schema does not declare it; the header has "OrderNo", "Qty"`,
			}},
		{name: "XLSX header in another case, an optional property with a trailing space", file: "header-rows.xlsx",
			source: "{name: s, file: header-rows.xlsx, sheet: Cased, schema: order.schema.json}",
			props:  "      orderImportId: row.OrderNo\n      quantity: row.Qty\n      code: row.Code",
			want: []string{
				`header-rows.xlsx Cased!1: the header has no column "OrderNo", which the schema order.schema.json requires of every row; the header has "code", "Description ", "Floors"`,
				`header-rows.xlsx Cased!1: the header has no column "Qty", which the schema order.schema.json requires of every row; the header has "code", "Description ", "Floors"`,
				`header-rows.xlsx Cased!1: the header has no column "Description", a property of the schema order.schema.json; the file has "Description " with a trailing space (column names are matched exactly)`,
				`$DIR/job.yaml:14:13: entities[0].properties.code: entity "order" reads row.Code, but the header (header-rows.xlsx Cased!1) has no column "Code" and the schema does not declare it; the file has "code" in another case (column names are matched exactly)`,
			}},
		{name: "an optional schema property absent from the header is no error", file: "headerless.csv",
			source: "{name: s, file: headerless.csv, header_row: 0, columns: [OrderNo, Qty, Comment], schema: order.schema.json}",
			props:  "      orderImportId: row.OrderNo\n      quantity: row.Qty\n      description: row.Description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fixture, err := os.ReadFile(filepath.Join("..", "readers", "testdata", "headers", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			job := strings.NewReplacer("%SOURCE%", tt.source, "%PROPS%", tt.props).Replace(headerJob)
			for name, data := range map[string][]byte{"job.yaml": []byte(job), "order.schema.json": []byte(orderSchema), tt.file: fixture} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			j, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
			if err != nil {
				t.Fatal(err)
			}
			runDir := filepath.Join(dir, "run")
			_, err = pipeline.DryRun(t.Context(), j, pipeline.Options{RunDir: runDir})
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("DryRun: %v", err)
				}
				return
			}
			var se *pipeline.SetupError
			if !errors.As(err, &se) {
				t.Fatalf("DryRun error %T %v, want a *SetupError", err, err)
			}
			got := strings.ReplaceAll(err.Error(), dir, "$DIR")
			if want := strings.Join(tt.want, "\n"); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if _, err := os.Stat(filepath.Join(runDir, "report.jsonl")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("report.jsonl exists (err %v): rows were evaluated", err)
			}
		})
	}
}
