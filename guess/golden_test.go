package guess

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden guesses each fixture under testdata and compares the job and schemas it renders
// with testdata/golden/<fixture>/; -update rewrites them.
func TestGolden(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "assets.xlsx")
	if _, err := os.Stat(book); *update || err != nil {
		writeTitledWorkbook(t, book)
	}
	tests := []struct {
		name, file, target string
		dir                string
	}{
		{"cp1252-title", filepath.Join(dir, "cp1252-title.csv"), "onixwork", dir},
		{"us-bom", filepath.Join(dir, "us-bom.csv"), "onkey", dir},
		{"tab-ambiguous", filepath.Join(dir, "tab-ambiguous.tsv"), "onkey", dir},
		{"titled-workbook", book, "onkey", dir},
		{"jsonl", filepath.Join(dir, "assets.jsonl"), "onixwork", dir},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs, err := File(t.Context(), tt.file, Options{Dir: tt.dir})
			if err != nil {
				t.Fatal(err)
			}
			job := Job{Name: tt.name, Target: tt.target, Sources: srcs, SampleRows: DefaultSampleRows}
			got := map[string][]byte{"job.yaml": job.YAML()}
			for _, s := range srcs {
				got[SchemaFile(s)] = s.Schema()
			}
			golden := filepath.Join("testdata", "golden", tt.name)
			for name, data := range got {
				path := filepath.Join(golden, name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, data, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run with -update to write it)", err)
				}
				if string(want) != string(data) {
					t.Errorf("%s differs from %s (-update rewrites it):\n%s", name, path, data)
				}
			}
		})
	}
}

// writeTitledWorkbook writes testdata/assets.xlsx (with -update, or when it is missing): a
// workbook whose first sheet has a title and a blank row above its header, number, boolean and
// date-styled cells, and whose second sheet is empty, which init leaves out.
func writeTitledWorkbook(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Assets"))
	_, err := f.NewSheet("Notes")
	must(err)
	must(f.SetCellValue("Assets", "A1", "Asset register, exported 2026-11-03"))
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{"AssetCode", "Description", "Cost", "InService", "Units", "Bought", "Inspected"},
		{"PMP-001", "Pump", 1250.5, true, 3, day(2), day(3).Add(90 * time.Minute)},
		{"PMP-002", "Pump, spare", 980, false, 1, day(15), day(16).Add(8 * time.Hour)},
		{"VLV-010", "Valve", 45.25, true, 12, day(31), day(31).Add(23 * time.Hour)},
	}
	dmy := "dd.mm.yyyy"
	style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dmy})
	must(err)
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+3)
		must(err)
		must(f.SetSheetRow("Assets", cell, &r))
		if i > 0 {
			must(f.SetCellStyle("Assets", fmt.Sprintf("F%d", i+3), fmt.Sprintf("F%d", i+3), style))
		}
	}
	must(f.SaveAs(path))
}

// TestSniffCSV checks what the first bytes of each CSV fixture say.
func TestSniffCSV(t *testing.T) {
	tests := []struct {
		file, encoding string
		delimiter      rune
		header         int
		titles         string
	}{
		{"cp1252-title.csv", "windows-1252", ';', 3, "Ordrelinjer eksport fra Visma, 03.11.2026"},
		{"us-bom.csv", "", ',', 1, ""},
		{"tab-ambiguous.tsv", "", '\t', 1, ""},
	}
	for _, tt := range tests {
		s, err := sniffCSV(filepath.Join("testdata", tt.file), tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if s.encoding != tt.encoding || s.delimiter != tt.delimiter || s.header.row != tt.header || strings.Join(s.header.titles, "|") != tt.titles {
			t.Errorf("%s: encoding %q delimiter %q header %d titles %q; want %q %q %d %q", tt.file,
				s.encoding, s.delimiter, s.header.row, s.header.titles, tt.encoding, tt.delimiter, tt.header, tt.titles)
		}
	}
}
