package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbookSourcesJob reads two sheets of one workbook as two sources.
const workbookSourcesJob = `version: 1
name: workbook
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: regions, file: plant.xlsx, sheet: Regions, schema: item.schema.json}
  - {name: sites, file: plant.xlsx, sheet: Sites, schema: item.schema.json, header_row: 2}
entities:
  - {name: region, source: regions, entityType: Region, action: Create, userObjectId: row.code, properties: {code: row.code, qty: row.qty}}
  - {name: site, source: sites, entityType: Site, action: Create, userObjectId: row.code, properties: {code: row.code, qty: row.qty}}
`

// TestSourceFlagRunsAFixWorkbook checks the round trip of a workbook with several sources: the
// one fix workbook, its bad cells corrected in place, given with --source for each source, is
// read with the same spec (sheet names, header rows) and its records are valid.
func TestSourceFlagRunsAFixWorkbook(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"job.yaml": workbookSourcesJob, "item.schema.json": fixSchema})
	book := excelize.NewFile()
	book.SetSheetName("Sheet1", "Regions")
	book.NewSheet("Sites")
	for sheet, rows := range map[string][][]any{
		"Regions": {{"code", "qty"}, {"R1", 1}, {"R2", "many"}},
		"Sites":   {{"Site list"}, {"code", "qty"}, {"S1", "few"}, {"S2", 2}},
	} {
		for r, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			book.SetSheetRow(sheet, cell, &row)
		}
	}
	if err := book.SaveAs(filepath.Join(dir, "plant.xlsx")); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "job.yaml")
	if code, counts := summaryCounts(t, "--out", filepath.Join(dir, "run1"), spec); code != exitSomeFailed || counts["invalid"] != 2 {
		t.Fatalf("first validate: exit %d, counts %v; want exit %d and 2 invalid", code, counts, exitSomeFailed)
	}
	fixPath := filepath.Join(dir, "run1", "fix", "plant.xlsx")
	fix, err := excelize.OpenFile(fixPath)
	if err != nil {
		t.Fatal(err)
	}
	// The bad cells, where the fix workbook has them: B2 of Regions, B3 of Sites (header on row 2).
	for sheet, cell := range map[string]string{"Regions": "B2", "Sites": "B3"} {
		if v, _ := fix.GetCellValue(sheet, cell); v != "many" && v != "few" {
			t.Fatalf("%s!%s = %q, want the bad value", sheet, cell, v)
		}
		fix.SetCellInt(sheet, cell, 7)
	}
	corrected := filepath.Join(dir, "corrected.xlsx")
	if err := fix.SaveAs(corrected); err != nil {
		t.Fatal(err)
	}
	fix.Close()
	code, counts := summaryCounts(t, "--out", filepath.Join(dir, "run2"), "--source", "regions="+corrected, "--source", "sites="+corrected, spec)
	if code != exitOK || counts["valid"] != 2 || counts["total"] != 2 {
		t.Fatalf("validate --source: exit %d, counts %v; want exit 0 and the two records valid", code, counts)
	}
	if _, err := os.Stat(filepath.Join(dir, "run2", "fix")); !os.IsNotExist(err) {
		t.Errorf("a valid run wrote fix files (%v)", err)
	}
}
