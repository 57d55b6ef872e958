package pipeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		{"code", "opened", "floors", "bulkload_errors", "bulkload_origin"},
		{"", "2026-03-02", "2.5", "Sites!C4: the cell holds the number 2.5, which is not an integer\nSites!A4: code is missing", "sites.xlsx Sites!4"},
		{"A12", "someday", "4", `Sites!B5: "someday" is not a date (expected YYYY-MM-DD)`, "sites.xlsx Sites!5"},
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

// TestCSVFixFileNeutralisesFormulas checks the CSV fix file of a source whose cells a
// spreadsheet would run: those cells get a single quote in front and the row's bulkload_errors
// cell says so, numbers such as -12.5 and 1 234 stay as they are, and column names the schema
// declares ("@id") stay exact while others ("=extra") are neutralised.
func TestCSVFixFileNeutralisesFormulas(t *testing.T) {
	out := dryRun(t, map[string]string{"job.yaml": formulasJob, "item.schema.json": formulasSchema, "items.csv": formulasCSV})
	got, err := os.ReadFile(filepath.Join(out.RunDir, "fix", "items.csv"))
	if err != nil {
		t.Fatal(err)
	}
	note := ": ' added in front so that a spreadsheet shows the value as text and does not run it; delete it before running this file as the source"
	want := "code,amount,note,@id,'=extra,bulkload_errors,bulkload_origin\n" +
		`'@SUM(A1),x,'-- see note,-,,"items.csv:3:amount: ""x"" is not a number (decimal separator ""."")` + "\n" +
		"items.csv:3:code" + note + "\n" +
		"items.csv:3:note" + note + "\",items.csv:3\n" +
		"'+cmd|' /C calc'!A0,1 234,'\tTAB,'=1,,\"items.csv:4:amount: \"\"1 234\"\" is not a number (decimal separator \"\".\"\")\n" +
		"items.csv:4:code" + note + "\n" +
		"items.csv:4:note" + note + "\n" +
		"items.csv:4:@id" + note + "\",items.csv:4\n"
	if string(got) != want {
		t.Errorf("fix/items.csv:\n got\n%s\n want\n%s", got, want)
	}
}

// TestCSVFixFileInALegacyEncoding checks that a message holding a character the source's
// encoding cannot hold (here from the schema's enum) is written with '?' in its place, instead of
// failing the fix file and with it the reports.
func TestCSVFixFileInALegacyEncoding(t *testing.T) {
	job := strings.Replace(formulasJob, "schema: item.schema.json}", "schema: item.schema.json, encoding: windows-1252}", 1)
	schema := `{"type": "object", "properties": {"code": {"type": "string", "enum": ["Ω1"]}, "amount": {"type": "number"}}}`
	out := dryRun(t, map[string]string{"job.yaml": job, "item.schema.json": schema, "items.csv": "code,note\n=\xc41,\xe9t\xe9\n"})
	got, err := os.ReadFile(filepath.Join(out.RunDir, "fix", "items.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "code,note,bulkload_errors,bulkload_origin\n'=\xc41,\xe9t\xe9,\"items.csv:2:code: must be one of \"\"?1\"\" but is \"\"=\xc41\"\"\n" +
		"items.csv:2:code: ' added in front so that a spreadsheet shows the value as text and does not run it; delete it before running this file as the source\",items.csv:2\n"
	if string(got) != want {
		t.Errorf("fix/items.csv:\n got  %q\n want %q", got, want)
	}
}

// TestXLSXFixFileKeepsTextExact checks that the XLSX fix file needs no neutraliser: a cell that
// looks like a formula is written as a string (no formula), and text that looks like a number
// ("007" in a string column) stays text; numbers of number columns stay numbers.
func TestXLSXFixFileKeepsTextExact(t *testing.T) {
	dir := t.TempDir()
	src := excelize.NewFile()
	defer src.Close()
	rows := [][]any{
		{"code", "amount", "zip"},
		{"=1+1", -12.5, "007"},
		{"@SUM(A1)", "x", "-- see note"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := src.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.SaveAs(filepath.Join(dir, "items.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := dryRun(t, map[string]string{
		"job.yaml": `version: 1
name: items
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: items, file: items.xlsx, schema: item.schema.json}
entities:
  - name: item
    source: items
    entityType: Item
    action: Create
    userObjectId: row.code
    properties: {code: row.code, amount: row.amount, zip: row.zip}
`,
		"item.schema.json": `{"type": "object", "properties": {"code": {"type": "string", "maxLength": 3},
  "amount": {"type": "number"}, "zip": {"type": "string"}}}`,
		"items.xlsx": "",
	}, dir)

	fix, err := excelize.OpenFile(filepath.Join(out.RunDir, "fix", "items.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer fix.Close()
	tests := []struct {
		cell, value string
		typ         excelize.CellType
	}{
		{"A2", "=1+1", excelize.CellTypeInlineString},
		{"B2", "-12.5", excelize.CellTypeUnset}, // a number: excelize reports no t attribute
		{"C2", "007", excelize.CellTypeInlineString},
		{"A3", "@SUM(A1)", excelize.CellTypeInlineString},
		{"B3", "x", excelize.CellTypeInlineString},
		{"C3", "-- see note", excelize.CellTypeInlineString},
	}
	for _, tc := range tests {
		value, err := fix.GetCellValue("Sheet1", tc.cell)
		if err != nil {
			t.Fatal(err)
		}
		typ, _ := fix.GetCellType("Sheet1", tc.cell)
		formula, _ := fix.GetCellFormula("Sheet1", tc.cell)
		if value != tc.value || typ != tc.typ || formula != "" {
			t.Errorf("%s: %q of type %v with formula %q; want %q of type %v and no formula", tc.cell, value, typ, formula, tc.value, tc.typ)
		}
	}
}
