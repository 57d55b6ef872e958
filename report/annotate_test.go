package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// ownWorkbook writes a workbook as a user might have it: an intro sheet with a formula, a sheet
// whose name has a space (the active one, with a custom number format, a column width and a
// print area), and one whose name has a quote.
func ownWorkbook(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Intro"))
	must(f.SetCellValue("Intro", "A1", "Read me"))
	must(f.SetCellFormula("Intro", "B1", "COUNTA('Site list'!A:A)"))
	_, err := f.NewSheet("Site list")
	must(err)
	_, err = f.NewSheet("O'Brien")
	must(err)
	must(f.SetSheetRow("Site list", "A1", &[]any{"code", "name", "price"}))
	must(f.SetSheetRow("Site list", "A2", &[]any{"A1", "Cape Town", 1234.5}))
	must(f.SetSheetRow("Site list", "A3", &[]any{"A2", "Durban", 99}))
	fmtText := "#,##0.000"
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &fmtText, Font: &excelize.Font{Italic: true, Color: "1F4E78"}})
	must(err)
	must(f.SetCellStyle("Site list", "C2", "C3", money))
	must(f.SetColWidth("Site list", "B", "B", 31))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "'Site list'!$A$1:$C$3", Scope: "Site list"}))
	must(f.SetSheetRow("O'Brien", "A1", &[]any{"id", "qty"}))
	must(f.SetSheetRow("O'Brien", "A2", &[]any{"x", 1}))
	must(f.SetSheetRow("O'Brien", "A3", &[]any{"y", 2}))
	idx, _ := f.GetSheetIndex("Site list")
	f.SetActiveSheet(idx)
	must(f.SaveAs(path))
}

func TestAnnotateWorkbook(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in", "book.xlsx")
	if err := mkdirAll(filepath.Dir(src)); err != nil {
		t.Fatal(err)
	}
	ownWorkbook(t, src)
	sources := []Source{
		{Name: "sites", File: "in/book.xlsx", Path: src, Sheet: "Site list"},
		{Name: "obrien", File: "in/book.xlsx", Path: src, Sheet: "O'Brien"},
	}
	findings := []Finding{
		{Source: "sites", Sheet: "Site list", Line: 2, Column: "price", Index: 2, Cell: "Site list!C2", Value: "1234.5",
			UserObjectID: "A1", Status: "invalid", Code: "maximum", Text: "must be <= 1000"},
		{Source: "obrien", Sheet: "O'Brien", Line: 3, Index: -1, UserObjectID: "y", Status: "failed",
			Code: "Core_NotNullValidator", Text: "Description is required."},
		{Source: "obrien", Sheet: "O'Brien", Line: 0, Index: -1, UserObjectID: "y", Status: "failed",
			Code: "note", Text: "about the record as a whole"},
		{Source: "json", Line: 1, Index: -1, Code: "type", Text: "not in a workbook"},
	}
	files, err := Annotate(t.Context(), dir, sources, findings)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, " ") != filepath.Join("annotated", "book.xlsx") {
		t.Fatalf("wrote %q, want one workbook for the two sheets", files)
	}
	path := filepath.Join(dir, files[0])
	checkPackage(t, path)
	got, want := open(t, path), open(t, src)

	if s := strings.Join(got.GetSheetList(), "|"); s != "bulkload|Intro|Site list|O'Brien" {
		t.Errorf("sheets %s", s)
	}
	if a := got.GetSheetName(got.GetActiveSheetIndex()); a != "Site list" {
		t.Errorf("active sheet %q, want the user's Site list", a)
	}
	if f, _ := got.GetCellFormula("Intro", "B1"); f != "COUNTA('Site list'!A:A)" {
		t.Errorf("formula %q", f)
	}
	if w, _ := got.GetColWidth("Site list", "B"); w != 31 {
		t.Errorf("column width %v", w)
	}
	var scoped []excelize.DefinedName
	for _, dn := range got.GetDefinedName() {
		if dn.Scope != "Workbook" {
			scoped = append(scoped, dn)
		}
	}
	if len(scoped) != 1 || scoped[0].Scope != "Site list" || scoped[0].RefersTo != "'Site list'!$A$1:$C$3" {
		t.Errorf("print area %+v, want it still on Site list", scoped)
	}

	gs, ws := style(t, got, "Site list", "C2"), style(t, want, "Site list", "C2")
	if len(gs.Fill.Color) != 1 || !strings.HasSuffix(strings.ToUpper(gs.Fill.Color[0]), CellFill) {
		t.Errorf("C2 fill %+v, want %s", gs.Fill, CellFill)
	}
	if *gs.CustomNumFmt != *ws.CustomNumFmt || !gs.Font.Italic || gs.Font.Color != ws.Font.Color {
		t.Errorf("C2 lost its own style: %v %+v", *gs.CustomNumFmt, gs.Font)
	}
	if id, _ := got.GetCellStyle("Site list", "C3"); id != mustStyleID(t, want, "Site list", "C3") {
		t.Errorf("C3 (no finding) changed style")
	}
	for _, cell := range []string{"A3", "B3"} {
		s := style(t, got, "O'Brien", cell)
		if len(s.Fill.Color) != 1 || !strings.HasSuffix(strings.ToUpper(s.Fill.Color[0]), RowFill) {
			t.Errorf("O'Brien!%s fill %+v, want the refused row's %s", cell, s.Fill, RowFill)
		}
	}
	comments := map[string]string{}
	for _, sheet := range []string{"Site list", "O'Brien"} {
		cs, _ := got.GetComments(sheet)
		for _, c := range cs {
			comments[sheet+"!"+c.Cell] += c.Text
			for _, r := range c.Paragraph {
				comments[sheet+"!"+c.Cell] += r.Text
			}
		}
	}
	wantComments := map[string]string{
		"Site list!C2": "[maximum] must be <= 1000 (record A1, invalid)",
		"O'Brien!A3":   "Row 3: [Core_NotNullValidator] Description is required. (record y, failed)",
	}
	if len(comments) != len(wantComments) {
		t.Errorf("comments %q, want %q", comments, wantComments)
	}
	for cell, text := range wantComments {
		if comments[cell] != text {
			t.Errorf("comment on %s: %q, want %q", cell, comments[cell], text)
		}
	}

	rows, _ := got.GetRows(ListingSheet)
	joined := make([]string, len(rows))
	for i, r := range rows {
		joined[i] = strings.Join(r, "|")
	}
	text := strings.Join(joined, "\n")
	for _, line := range []string{
		"Sheet|Column|Findings",
		"O'Brien|(record)|1", "O'Brien|(row)|1", "Site list|price|1",
		strings.Join(ListingHeader, "|"),
		"Site list|C2|price|1234.5|invalid|maximum|must be <= 1000|A1",
		"O'Brien|A3|(row)||failed|Core_NotNullValidator|Description is required.|y",
		"O'Brien||(record)||failed|note|about the record as a whole|y",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("bulkload sheet lacks %q:\n%s", line, text)
		}
	}
	links := map[string]string{}
	for i, r := range rows {
		if len(r) > 1 && r[1] != "" && r[1] != "Cell" && r[1] != "Column" {
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			if ok, loc, _ := got.GetCellHyperLink(ListingSheet, cell); ok {
				links[r[0]+"!"+r[1]] = loc
			}
		}
	}
	if links["Site list!C2"] != "'Site list'!C2" || links["O'Brien!A3"] != "'O''Brien'!A3" || len(links) != 2 {
		t.Errorf("links %q", links)
	}
}

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func style(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	s, err := f.GetStyle(mustStyleID(t, f, sheet, cell))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustStyleID(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// csvSource is a CSV source whose rows are given.
func csvSource(name, file string, rows [][]string) Source {
	return Source{Name: name, File: file, Path: "/data/" + file,
		Rows: func(ctx context.Context, row func(line int, cells []string) error) error {
			for i, r := range rows {
				if err := row(i+1, r); err != nil {
					return err
				}
			}
			return nil
		}}
}
