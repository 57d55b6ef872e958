package pipeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sitesSchema requires a description and types floors; the Sites sheet of header-rows.xlsx breaks
// both rules on row 3.
const sitesSchema = `{"type": "object", "required": ["Code", "Description"],
 "properties": {"Code": {"type": "string"}, "Description": {"type": "string"}, "Floors": {"type": "integer"}}}`

// TestMessagesNameTheCell checks the words of a report's cell messages: a missing value names its
// column (`Sites!B3: Description is missing`), and an XLSX reference names its workbook when the
// job reads more than one file, since the same sheet name may be in several.
func TestMessagesNameTheCell(t *testing.T) {
	sites := "  - {name: sites, file: header-rows.xlsx, sheet: Sites, schema: sites.schema.json}\n"
	orders := "  - {name: orders, file: headerless.csv, header_row: 0, columns: [OrderNo, Qty, Note], schema: orders.schema.json}\n"
	siteEntity := "  - {name: site, source: sites, endpoint: /v1/sites, userObjectId: row.Code, properties: {description: row.Description, floors: row.Floors}}\n"
	orderEntity := "  - {name: order, source: orders, endpoint: /v1/orders, userObjectId: row.OrderNo, properties: {qty: row.Qty}}\n"
	tests := []struct {
		name     string
		sources  string
		entities string
		want     []string
	}{
		{name: "one file", sources: sites, entities: siteEntity, want: []string{
			"S-001 valid",
			`S-002 invalid: Sites!C3: "two" is not an integer | Sites!B3: Description is missing`,
		}},
		{name: "two files", sources: sites + orders, entities: siteEntity + orderEntity, want: []string{
			"10001 valid",
			"10002 valid",
			"S-001 valid",
			`S-002 invalid: header-rows.xlsx Sites!C3: "two" is not an integer | header-rows.xlsx Sites!B3: Description is missing`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range []string{"header-rows.xlsx", "headerless.csv"} {
				data, err := os.ReadFile(filepath.Join("..", "readers", "testdata", "headers", name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			job := "version: 1\nname: cells\ntarget: {kind: onixwork, url: \"http://127.0.0.1:1\", auth: {kind: none}}\nsources:\n" +
				tt.sources + "entities:\n" + tt.entities
			out := dryRun(t, map[string]string{"job.yaml": job, "sites.schema.json": sitesSchema,
				"orders.schema.json": `{"type": "object", "properties": {"OrderNo": {"type": "string"}, "Qty": {"type": "integer"}}}`}, dir)
			got := reportLines(t, out.RunDir)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
