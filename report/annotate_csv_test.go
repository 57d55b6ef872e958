package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func mkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

// A CSV source becomes a workbook of its rows as text, on a sheet named after the source: a
// value a spreadsheet would run stays text, and leading zeros stay.
func TestAnnotateCSV(t *testing.T) {
	dir := t.TempDir()
	long := "order_lines_from_the_old_erp/export:2026"
	src := csvSource(long, "orders.csv", [][]string{
		{"order", "qty", "note"},
		{"0012", "3", "=1+2"},
		{"0013", "x", "ok"},
	})
	files, err := Annotate(t.Context(), dir, []Source{src}, []Finding{
		{Source: long, Line: 3, Column: "qty", Index: 1, Cell: "orders.csv:3:qty", Value: "x", Status: "invalid", Code: "type", Text: `"x" is not a number`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, " ") != filepath.Join("annotated", "orders.csv.xlsx") {
		t.Fatalf("wrote %q", files)
	}
	path := filepath.Join(dir, files[0])
	checkPackage(t, path)
	f := open(t, path)
	sheet := "order_lines_from_the_old_erp_ex"
	if s := strings.Join(f.GetSheetList(), "|"); s != "bulkload|"+sheet {
		t.Fatalf("sheets %q, want bulkload and %q (31 characters, no / or :)", s, sheet)
	}
	for cell, want := range map[string]string{"A1": "order", "A2": "0012", "C2": "=1+2", "B3": "x"} {
		v, _ := f.GetCellValue(sheet, cell)
		formula, _ := f.GetCellFormula(sheet, cell)
		typ, _ := f.GetCellType(sheet, cell)
		if v != want || formula != "" || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
			t.Errorf("%s: %q (formula %q, type %v), want the text %q", cell, v, formula, typ, want)
		}
	}
	if s := style(t, f, sheet, "B3"); len(s.Fill.Color) != 1 || !strings.HasSuffix(strings.ToUpper(s.Fill.Color[0]), CellFill) || s.NumFmt != 49 {
		t.Errorf("B3 style %+v (format %d), want the text format and the finding's fill", s.Fill, s.NumFmt)
	}
	_, loc, _ := f.GetCellHyperLink(ListingSheet, "B"+listingRow(t, f, "B3"))
	if loc != "'"+sheet+"'!B3" {
		t.Errorf("link %q", loc)
	}
}

// listingRow is the row number, as text, of the listing line for cell.
func listingRow(t *testing.T, f *excelize.File, cell string) string {
	t.Helper()
	rows, _ := f.GetRows(ListingSheet)
	for i, r := range rows {
		if len(r) > 1 && r[1] == cell {
			n, _ := excelize.CoordinatesToCellName(1, i+1)
			return strings.TrimPrefix(n, "A")
		}
	}
	t.Fatalf("no listing line for %s: %q", cell, rows)
	return ""
}

// Two source files with one name give two workbooks; a source without findings gives none.
func TestAnnotatedNames(t *testing.T) {
	dir := t.TempDir()
	a := csvSource("a", "x/orders.csv", [][]string{{"n"}, {"1"}})
	a.Path = "/data/x/orders.csv"
	b := csvSource("b", "y/orders.csv", [][]string{{"n"}, {"2"}})
	b.Path = "/data/y/orders.csv"
	c := csvSource("c", "clean.csv", [][]string{{"n"}, {"3"}})
	files, err := Annotate(t.Context(), dir, []Source{a, b, c}, []Finding{
		{Source: "a", Line: 2, Index: -1, Text: "bad"},
		{Source: "b", Line: 2, Index: -1, Text: "bad"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("annotated", "orders.csv.xlsx") + " " + filepath.Join("annotated", "orders.csv-2.xlsx")
	if strings.Join(files, " ") != want {
		t.Errorf("wrote %q, want %q", files, want)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "annotated", ".tmp-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// Rendering a run again removes the workbooks of files that have no findings any more.
func TestAnnotateRemovesStale(t *testing.T) {
	dir := t.TempDir()
	a := csvSource("a", "a.csv", [][]string{{"n"}, {"1"}})
	b := csvSource("b", "b.csv", [][]string{{"n"}, {"2"}})
	bad := func(source string) Finding { return Finding{Source: source, Line: 2, Index: -1, Text: "bad"} }
	steps := []struct {
		findings []Finding
		want     []string
	}{
		{[]Finding{bad("a"), bad("b")}, []string{"a.csv.xlsx", "b.csv.xlsx"}},
		{[]Finding{bad("b")}, []string{"b.csv.xlsx"}},
		{nil, nil},
	}
	for i, s := range steps {
		if _, err := Annotate(t.Context(), dir, []Source{a, b}, s.findings); err != nil {
			t.Fatal(err)
		}
		var have []string
		entries, _ := os.ReadDir(filepath.Join(dir, AnnotatedDir))
		for _, e := range entries {
			have = append(have, e.Name())
		}
		if strings.Join(have, " ") != strings.Join(s.want, " ") {
			t.Errorf("step %d: annotated/ holds %q, want %q", i, have, s.want)
		}
	}
}

// A macro workbook's annotated copy stays a macro workbook.
func TestAnnotateMacroWorkbook(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "costs.xlsm")
	f := excelize.NewFile()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"n", "cost"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Sheet1", "A2", &[]any{"1", "x"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	files, err := Annotate(t.Context(), dir, []Source{{Name: "costs", File: "costs.xlsm", Path: src, Sheet: "Sheet1"}},
		[]Finding{{Source: "costs", Sheet: "Sheet1", Line: 2, Column: "cost", Index: 1, Text: "not a number"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, " ") != filepath.Join("annotated", "costs.xlsm") {
		t.Fatalf("wrote %q", files)
	}
	checkPackage(t, filepath.Join(dir, files[0]))
	ct := readPart(t, filepath.Join(dir, files[0]), "[Content_Types].xml")
	if !strings.Contains(ct, "application/vnd.ms-excel.sheet.macroEnabled.main+xml") {
		t.Errorf("the copy is not a macro workbook: %s", ct)
	}
}
