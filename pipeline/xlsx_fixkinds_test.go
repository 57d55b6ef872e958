package pipeline_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// An XLSX fix file holds each cell as the source held it, by its kind: text stays text even when
// it looks like a number in a date column (so fixing the file does not turn "45000" into a date
// behind the user's back), numbers stay numbers, dates stay date-styled serials, booleans stay
// booleans.
func TestXLSXFixFileKeepsCellKinds(t *testing.T) {
	dir := t.TempDir()
	src := excelize.NewFile()
	day, err := src.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		cell string
		v    any
	}{
		{"A1", "code"}, {"B1", "opened"}, {"C1", "qty"}, {"D1", "flag"}, {"E1", "note"},
		{"A2", "S-1"}, {"B2", "45000"}, {"C2", 2.5}, {"D2", true}, {"E2", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
	} {
		if err := src.SetCellValue("Sheet1", r.cell, r.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.SetCellStyle("Sheet1", "E2", "E2", day); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveAs(filepath.Join(dir, "sites.xlsx")); err != nil {
		t.Fatal(err)
	}
	_ = src.Close()
	out := dryRun(t, map[string]string{
		"job.yaml": sitesXLSXJob(`code: row.code, opened: row.opened, qty: row.qty, flag: row.flag, note: row.note`),
		"site.schema.json": `{"type": "object", "properties": {"code": {"type": "string"}, "opened": {"type": "string", "format": "date"},
  "qty": {"type": "integer"}, "flag": {"type": "boolean"}, "note": {"type": "string"}}}`,
		"sites.xlsx": "", // written above
	}, dir)
	fix, err := excelize.OpenFile(filepath.Join(out.RunDir, "fix", "sites.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fix.Close()
	tests := []struct {
		cell  string
		typ   excelize.CellType
		value string
	}{
		{"B2", excelize.CellTypeInlineString, "45000"},
		{"C2", excelize.CellTypeUnset, "2.5"}, // a number
		{"D2", excelize.CellTypeBool, "1"},
		{"E2", excelize.CellTypeUnset, "45293"},
		{"F2", excelize.CellTypeInlineString, `Sheet1!B2: "45000" is a number written as text, not a date (expected YYYY-MM-DD)` + "\n" +
			`Sheet1!C2: the cell holds the number 2.5, which is not an integer`},
	}
	for _, tt := range tests {
		typ, err := fix.GetCellType("Sheet1", tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		v, err := fix.GetCellValue("Sheet1", tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if typ != tt.typ || v != tt.value {
			t.Errorf("%s: type %v, value %q; want %v, %q", tt.cell, typ, v, tt.typ, tt.value)
		}
	}
	style, err := fix.GetCellStyle("Sheet1", "E2")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := fix.GetStyle(style); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("E2 style %+v (%v), want the date format yyyy-mm-dd", st, err)
	}
}

// A fix file of a workbook in the 1904 date system is in that system too, so that the serial of
// each date cell stands for the same date as in the source.
func TestXLSXFixFileKeeps1904(t *testing.T) {
	dir := t.TempDir()
	src := excelize.NewFile()
	on := true
	if err := src.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
		t.Fatal(err)
	}
	day, err := src.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{"A1": "code", "B1": "opened", "A2": "S-1", "B2": 43831.5} { // 2024-01-02 12:00 in 1904
		if err := src.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.SetCellStyle("Sheet1", "B2", "B2", day); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveAs(filepath.Join(dir, "sites.xlsx")); err != nil {
		t.Fatal(err)
	}
	_ = src.Close()
	out := dryRun(t, map[string]string{
		"job.yaml": `version: 1
name: sites
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: sites, file: sites.xlsx, schema: site.schema.json}
entities:
  - {name: site, source: sites, entityType: Site, action: Create, userObjectId: row.code, properties: {code: row.code, opened: row.opened}}
`,
		"site.schema.json": `{"type": "object", "properties": {"code": {"type": "string"}, "opened": {"type": "string", "format": "date"}}}`,
		"sites.xlsx":       "", // written above
	}, dir)
	fix, err := excelize.OpenFile(filepath.Join(out.RunDir, "fix", "sites.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fix.Close()
	props, err := fix.GetWorkbookProps()
	if err != nil {
		t.Fatal(err)
	}
	v, err := fix.GetCellValue("Sheet1", "B2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := fix.GetCellValue("Sheet1", "C2")
	if err != nil {
		t.Fatal(err)
	}
	if props.Date1904 == nil || !*props.Date1904 || v != "43831.5" {
		t.Errorf("fix file date1904 %v, B2 %q; want the 1904 system and 43831.5", props.Date1904, v)
	}
	if want := "Sheet1!B2: the cell holds 2024-01-02 12:00:00, which has a time of day, but the column is a date"; errs != want {
		t.Errorf("C2 %q, want %q", errs, want)
	}
}
