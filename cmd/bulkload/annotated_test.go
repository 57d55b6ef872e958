package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/report"
)

// mark is what the annotated workbook must show on one cell of the onkey-sites-mistakes sample.
type mark struct {
	cell, fill string
	// comment lists texts the cell's comment must hold; nil: the cell has no comment.
	comment []string
}

// The onkey-sites-mistakes sample, validated and run against the sandbox: annotated/sites.xlsx
// marks each bad cell (fill and comment, the owner's own comment kept), marks the rows of the
// duplicate key and of the record the server refused (its message on the cell it is about), leaves every other cell as it was in the
// original, and lists every finding on a first sheet "bulkload" with a link to its cell.
func TestAnnotatedWorkbookOfSample(t *testing.T) {
	const spec = "../../samples/onkey-sites-mistakes/job.yaml"
	original := filepath.Join(filepath.Dir(spec), "sites.xlsx")
	common := []mark{
		{"B3", report.CellFill, []string{"Kari: is this the new code?", "[pattern]", `"jnb east" does not match the pattern`, "record SAP-S02, invalid"}},
		{"A3", "", nil},
		{"I4", report.CellFill, []string{"[type]", `"two" is not a number`}},
		{"A5", report.RowFill, []string{"Row 5: [duplicate]", "also produced by sites.xlsx Sites!6"}},
		{"J5", report.RowFill, nil},
		{"A6", report.RowFill, []string{"Row 6: [duplicate]", "also produced by sites.xlsx Sites!5"}},
		{"A8", "", nil},
	}
	tests := []struct {
		name  string
		args  []string
		marks []mark
		links []string
	}{
		{name: "validate", args: []string{"validate"},
			marks: append(common, mark{"A7", "", nil}, mark{"D7", "", nil}),
			links: []string{"'Sites'!B3", "'Sites'!I4", "'Sites'!A5", "'Sites'!A6"}},
		{name: "run", args: []string{"run", "--sandbox", "--no-progress"},
			marks: append(common,
				// The server's message is on the cell its property is built from; the refused
				// record's row is marked too.
				mark{"A7", report.RowFill, nil},
				mark{"D7", report.CellFill, []string{"[Core_ReferenceLookupNoMatchFound] Reference lookup match could not be found for {Site->PermissionTree_Id}.", "record SAP-S06, failed"}}),
			links: []string{"'Sites'!B3", "'Sites'!I4", "'Sites'!A5", "'Sites'!A6", "'Sites'!D7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			code, stdout, stderr := runCLI(t, append(tt.args, "--out", dir, spec)...)
			if code != exitSomeFailed {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "annotated workbooks: annotated/sites.xlsx") {
				t.Errorf("stdout does not name the annotated workbook:\n%s", stdout)
			}
			path := filepath.Join(dir, "annotated", "sites.xlsx")
			got := openWorkbook(t, path)
			want := openWorkbook(t, original)
			if sheets := got.GetSheetList(); strings.Join(sheets, "|") != "bulkload|"+strings.Join(want.GetSheetList(), "|") {
				t.Errorf("sheets %q, want bulkload before %q", sheets, want.GetSheetList())
			}
			if a, w := got.GetSheetName(got.GetActiveSheetIndex()), want.GetSheetName(want.GetActiveSheetIndex()); a != w {
				t.Errorf("active sheet %q, want the owner's %q", a, w)
			}
			marked := checkMarks(t, got, want, "Sites", tt.marks)
			checkUntouched(t, got, want, marked)
			if links := listingLinks(t, got); strings.Join(links, " ") != strings.Join(tt.links, " ") {
				t.Errorf("bulkload sheet links %q, want %q", links, tt.links)
			}
			checkOpensElsewhere(t, path)
		})
	}
}

func openWorkbook(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// checkMarks asserts each mark on sheet, and that a marked cell kept its value and its own style
// but for the fill. It returns every cell of the sheet that has a fill or comment in got and
// none in want, by "Sheet!A1".
func checkMarks(t *testing.T, got, want *excelize.File, sheet string, marks []mark) map[string]bool {
	t.Helper()
	comments := map[string]string{}
	cs, err := got.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		comments[c.Cell] = text
	}
	for _, m := range marks {
		if fill := cellFill(t, got, sheet, m.cell); fill != m.fill {
			t.Errorf("%s!%s: fill %q, want %q", sheet, m.cell, fill, m.fill)
		}
		text, has := comments[m.cell]
		if has != (m.comment != nil) {
			t.Errorf("%s!%s: comment %q, want one: %v", sheet, m.cell, text, m.comment != nil)
		}
		for _, part := range m.comment {
			if !strings.Contains(text, part) {
				t.Errorf("%s!%s: comment %q lacks %q", sheet, m.cell, text, part)
			}
		}
		gv, _ := got.GetCellValue(sheet, m.cell)
		wv, _ := want.GetCellValue(sheet, m.cell)
		if gv != wv {
			t.Errorf("%s!%s: value %q, the original has %q", sheet, m.cell, gv, wv)
		}
		gs, ws := cellStyle(t, got, sheet, m.cell), cellStyle(t, want, sheet, m.cell)
		if gs.NumFmt != ws.NumFmt || !equalPtr(gs.CustomNumFmt, ws.CustomNumFmt) || !sameFont(gs.Font, ws.Font) {
			t.Errorf("%s!%s: number format %d %v font %+v, the original has %d %v %+v", sheet, m.cell,
				gs.NumFmt, gs.CustomNumFmt, gs.Font, ws.NumFmt, ws.CustomNumFmt, ws.Font)
		}
	}
	marked := map[string]bool{}
	rows, _ := got.GetRows(sheet)
	for r := range rows {
		for c := range len(rows[0]) {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if _, has := comments[cell]; has || cellFill(t, got, sheet, cell) != cellFill(t, want, sheet, cell) {
				marked[sheet+"!"+cell] = true
			}
		}
	}
	return marked
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func cellFill(t *testing.T, f *excelize.File, sheet, cell string) string {
	s := cellStyle(t, f, sheet, cell)
	if s.Fill.Type != "pattern" || s.Fill.Pattern != 1 || len(s.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(s.Fill.Color[0])
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

func equalPtr(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func sameFont(a, b *excelize.Font) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.ColorTheme, y.ColorTheme = nil, nil
	return x == y && equalInt(a.ColorTheme, b.ColorTheme)
}

func equalInt(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
