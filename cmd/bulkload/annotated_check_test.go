package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/report"
)

// checkUntouched asserts that every cell of every sheet of want is in got as it was (value,
// formula and style) unless marked lists it, and that column widths are the same.
func checkUntouched(t *testing.T, got, want *excelize.File, marked map[string]bool) {
	t.Helper()
	for _, sheet := range want.GetSheetList() {
		rows, err := want.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		for r := range rows {
			for c := range width {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				gv, _ := got.GetCellValue(sheet, cell)
				wv, _ := want.GetCellValue(sheet, cell)
				gf, _ := got.GetCellFormula(sheet, cell)
				wf, _ := want.GetCellFormula(sheet, cell)
				if gv != wv || gf != wf {
					t.Errorf("%s!%s: value %q formula %q, the original has %q %q", sheet, cell, gv, gf, wv, wf)
				}
				if marked[sheet+"!"+cell] {
					continue
				}
				gs, _ := got.GetCellStyle(sheet, cell)
				ws, _ := want.GetCellStyle(sheet, cell)
				if gs != ws {
					t.Errorf("%s!%s: style %d, the original has %d", sheet, cell, gs, ws)
				}
			}
		}
		for c := range width + 1 {
			col, _ := excelize.ColumnNumberToName(c + 1)
			gw, _ := got.GetColWidth(sheet, col)
			ww, _ := want.GetColWidth(sheet, col)
			if gw != ww {
				t.Errorf("%s column %s: width %v, the original has %v", sheet, col, gw, ww)
			}
		}
	}
}

// listingLinks returns the hyperlink locations of the Cell column of the listing on the
// "bulkload" sheet, in order, after checking that each row's Sheet and Cell make its link.
func listingLinks(t *testing.T, f *excelize.File) []string {
	t.Helper()
	rows, err := f.GetRows(report.ListingSheet)
	if err != nil {
		t.Fatal(err)
	}
	start := -1
	for i, r := range rows {
		if strings.Join(r, "|") == strings.Join(report.ListingHeader, "|") {
			start = i + 1
		}
	}
	if start < 0 {
		t.Fatalf("no listing header %q on the bulkload sheet: %q", report.ListingHeader, rows)
	}
	var links []string
	for i := start; i < len(rows); i++ {
		cell, _ := excelize.CoordinatesToCellName(2, i+1)
		ok, loc, err := f.GetCellHyperLink(report.ListingSheet, cell)
		if err != nil || !ok {
			t.Errorf("bulkload!%s (%q): no link (%v)", cell, rows[i], err)
			continue
		}
		if want := report.Location(rows[i][0], rows[i][1]); loc != want {
			t.Errorf("bulkload!%s links to %q, its row names %q", cell, loc, want)
		}
		links = append(links, loc)
	}
	return links
}

// checkOpensElsewhere opens the workbook with LibreOffice (converting it to XLSX, whose copy
// must still hold the bulkload sheet first and the comments) and with openpyxl. Each is
// skipped, saying so, where the program is absent.
func checkOpensElsewhere(t *testing.T, path string) {
	t.Helper()
	t.Run("libreoffice", func(t *testing.T) {
		soffice, err := exec.LookPath("soffice")
		if err != nil {
			t.Skip("soffice not found: install Debian's libreoffice-calc-nogui to check that LibreOffice opens the annotated workbook")
		}
		out := t.TempDir()
		cmd := exec.CommandContext(t.Context(), soffice, "-env:UserInstallation=file://"+filepath.Join(out, "profile"),
			"--headless", "--convert-to", "xlsx", "--outdir", filepath.Join(out, "converted"), path)
		msg, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, msg)
		}
		converted := filepath.Join(out, "converted", filepath.Base(path))
		if _, err := os.Stat(converted); err != nil {
			t.Fatalf("soffice wrote no %s: %s", converted, msg)
		}
		f := openWorkbook(t, converted)
		if first := f.GetSheetList()[0]; first != report.ListingSheet {
			t.Errorf("LibreOffice's copy starts with sheet %q", first)
		}
		cs, _ := f.GetComments("Sites")
		found := false
		for _, c := range cs {
			text := c.Text
			for _, r := range c.Paragraph {
				text += r.Text
			}
			found = found || (c.Cell == "B3" && strings.Contains(text, "[pattern]"))
		}
		if !found {
			t.Errorf("LibreOffice's copy lost the comment on Sites!B3: %+v", cs)
		}
	})
	t.Run("openpyxl", func(t *testing.T) {
		python := openpyxlPython()
		if python == "" {
			t.Skip("no python3 with openpyxl: install Debian's python3-openpyxl to check that openpyxl opens the annotated workbook")
		}
		const script = `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(wb.sheetnames[0])
print(wb["Sites"]["B3"].comment.text.replace("\n", " "))
print(" ".join(c.hyperlink.location for c in wb["bulkload"]["B"] if c.hyperlink))
`
		out, err := exec.CommandContext(t.Context(), python, "-c", script, path).CombinedOutput()
		if err != nil {
			t.Fatalf("openpyxl: %v\n%s", err, out)
		}
		lines := strings.Split(string(out), "\n")
		if len(lines) < 3 || lines[0] != report.ListingSheet || !strings.Contains(lines[1], "[pattern]") || !strings.Contains(lines[2], "'Sites'!B3") {
			t.Errorf("openpyxl read:\n%s", out)
		}
	})
}

// openpyxlPython is a python3 that imports openpyxl, or "".
func openpyxlPython() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import openpyxl").Run() == nil {
			return path
		}
	}
	return ""
}
