package pipeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbookJob reads three sheets of one workbook as three sources.
const workbookJob = `version: 1
name: workbook
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: regions, file: plant.xlsx, sheet: Regions, schema: item.schema.json}
  - {name: sites, file: plant.xlsx, sheet: Sites, schema: item.schema.json, header_row: 2}
  - {name: assets, file: plant.xlsx, sheet: Assets, schema: item.schema.json}
entities:
  - {name: region, source: regions, entityType: Region, action: Create, userObjectId: row.code, properties: {code: row.code, qty: row.qty}}
  - {name: site, source: sites, entityType: Site, action: Create, userObjectId: row.code, properties: {code: row.code, qty: row.qty}}
  - {name: asset, source: assets, entityType: Asset, action: Create, userObjectId: row.code, properties: {code: row.code, qty: row.qty}}
`

// TestFixWorkbookOneForSeveralSheets checks that the sources read from one workbook get one fix
// workbook, named as the workbook, with a sheet of each source's name holding its invalid rows
// under a header on the source's header row, and the origin of each row; a sheet the job does
// not read, and the valid rows, are left out.
func TestFixWorkbookOneForSeveralSheets(t *testing.T) {
	dir := t.TempDir()
	book := excelize.NewFile()
	sheets := map[string][][]any{
		"Regions": {{"code", "qty"}, {"R1", 1}, {"R2", "many"}},
		"Notes":   {{"not read"}},
		"Sites":   {{"Site list"}, {"code", "qty"}, {"S1", "few"}, {"S2", 2}},
		"Assets":  {{"code", "qty"}, {"A1", 1.5}, {"A2", 3}, {"A3", "x"}},
	}
	for i, name := range []string{"Regions", "Notes", "Sites", "Assets"} {
		if i == 0 {
			book.SetSheetName("Sheet1", name)
		} else if _, err := book.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := book.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := book.SaveAs(filepath.Join(dir, "plant.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := dryRun(t, map[string]string{"job.yaml": workbookJob, "item.schema.json": framingSchema}, dir)
	if want := []string{filepath.Join("fix", "plant.xlsx")}; !slices.Equal(out.Summary.FixFiles, want) {
		t.Fatalf("fix files %q, want %q", out.Summary.FixFiles, want)
	}
	entries, _ := os.ReadDir(filepath.Join(out.RunDir, "fix"))
	if len(entries) != 1 {
		t.Errorf("fix/ holds %d files, want 1", len(entries))
	}
	fix, err := excelize.OpenFile(filepath.Join(out.RunDir, "fix", "plant.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fix.Close()
	if got, want := fix.GetSheetList(), []string{"Regions", "Sites", "Assets"}; !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	header := []string{"code", "qty", "bulkload_errors", "bulkload_origin"}
	want := map[string][][]string{
		"Regions": {header, {"R2", "many", "", "plant.xlsx Regions!3"}},
		"Sites":   {nil, header, {"S1", "few", "", "plant.xlsx Sites!3"}},
		"Assets":  {header, {"A1", "1.5", "", "plant.xlsx Assets!2"}, {"A3", "x", "", "plant.xlsx Assets!4"}},
	}
	for name, rows := range want {
		got, err := fix.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(rows) {
			t.Fatalf("sheet %s rows %q, want %d rows", name, got, len(rows))
		}
		for i, w := range rows {
			if len(w) == 4 && len(got[i]) == 4 && w[2] == "" {
				if got[i][2] == "" {
					t.Errorf("sheet %s row %d: no errors", name, i+1)
				}
				w = slices.Clone(w)
				w[2] = got[i][2]
			}
			if !slices.Equal(got[i], w) {
				t.Errorf("sheet %s row %d: got %q, want %q", name, i+1, got[i], w)
			}
		}
	}
}
