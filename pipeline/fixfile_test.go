package pipeline_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSXFixFile checks the fix file of an XLSX source: the invalid rows only, in their original
// columns, under a header on the same row as the source's, with the errors column, numbers kept
// numbers and dates shown as dates.
func TestXLSXFixFile(t *testing.T) {
	dir := t.TempDir()
	src := excelize.NewFile()
	defer src.Close()
	if err := src.SetSheetName("Sheet1", "Sites"); err != nil {
		t.Fatal(err)
	}
	day, err := src.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Site register"}, // a title row above the header
		{"code", "opened", "floors"},
		{"A10", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 3},
		{"", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 2.5},
		{"A12", "someday", 4},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := src.SetSheetRow("Sites", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []string{"B3", "B4"} {
		if err := src.SetCellStyle("Sites", c, c, day); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.SaveAs(filepath.Join(dir, "sites.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := dryRun(t, map[string]string{
		"job.yaml": `version: 1
name: sites
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: sites, file: sites.xlsx, sheet: Sites, header_row: 2, schema: site.schema.json}
entities:
  - name: site
    source: sites
    entityType: Site
    action: Create
    userObjectId: row.code ?? "none"
    properties: {code: row.code, opened: row.opened, floors: row.floors}
`,
		"site.schema.json": `{"type": "object", "required": ["code"], "properties": {"code": {"type": "string"},
  "opened": {"type": "string", "format": "date"}, "floors": {"type": "integer"}}}`,
		"sites.xlsx": "", // written above; dryRun must not overwrite it
	}, dir)

	fix, err := excelize.OpenFile(filepath.Join(out.RunDir, "fix", "sites.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fix.Close()
	got, err := fix.GetRows("Sites")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		nil,
		{"code", "opened", "floors", "bulkload_errors"},
		{"", "2026-03-02", "2.5", "Sites!C4: \"2.5\" is not an integer\nSites!A4: missing"},
		{"A12", "someday", "4", `Sites!B5: "someday" is not a date (expected 2006-01-02)`},
	}
	if len(got) != len(want) {
		t.Fatalf("fix file rows:\n got  %q\n want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("fix file row %d:\n got  %q\n want %q", i+1, got[i], want[i])
		}
	}
	if typ, _ := fix.GetCellType("Sites", "C3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("C3 has type %v, want a number", typ)
	}
}
