package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestValidateRefusesWhatWouldBeMisread runs `bulkload validate` on copies of the orders sample
// changed the ways people change it by mistake, and checks that each is refused before any row
// is evaluated (exit 2) with the words that say what to fix.
func TestValidateRefusesWhatWouldBeMisread(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(t *testing.T, dir string, job string) string // returns the new job.yaml
		stderr []string
	}{
		{name: "the file saved as UTF-8 but still declared windows-1252",
			edit: func(t *testing.T, dir, job string) string {
				path := filepath.Join(dir, "ordrelinjer.csv")
				raw, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				text, err := charmap.Windows1252.NewDecoder().Bytes(raw)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, text, 0o644); err != nil {
					t.Fatal(err)
				}
				return job
			},
			stderr: []string{`ordrelinjer.csv:2: the file is declared windows-1252, but it is UTF-8: line 2 reads ..."1;Hjullaster;Hjullaster for grøntarbeid;1;1 234 500,00;15.1"... as UTF-8 and would be sent as ..."1;Hjullaster;Hjullaster for grÃ¸ntarbeid;1;1 234 500,00;15.1"...; declare encoding: utf-8`}},
		{name: "the declared encoding removed",
			edit: func(t *testing.T, dir, job string) string {
				return strings.Replace(job, "    encoding: windows-1252\n", "", 1)
			},
			stderr: []string{`ordrelinjer.csv:2: the file is not UTF-8`, `it seems to be windows-1252, which reads that line as ..."1;Hjullaster;Hjullaster for grøntarbeid;1;1 234 500,00;15.12"...`, "declare encoding: windows-1252"}},
		{name: "the wrong delimiter",
			edit: func(t *testing.T, dir, job string) string {
				return strings.Replace(job, `delimiter: ";"`, `delimiter: ","`, 1)
			},
			stderr: []string{`ordrelinjer.csv:1: the header is one column, "Ordrenr;Ordredato;`, `the file seems to use ";" as its delimiter, not the declared ","; declare delimiter: ";"`}},
		{name: "a misspelt column",
			edit: func(t *testing.T, dir, job string) string {
				return strings.Replace(job, "description: row.Beskrivelse", "description: row.beskrivelse", 1)
			},
			stderr: []string{`entities[1].properties.description: entity "order_line" reads row.beskrivelse, but the header (ordrelinjer.csv:1) has no column "beskrivelse" and the schema does not declare it; the file has "Beskrivelse" in another case (column names are matched exactly)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "samples", "orders-csv"))); err != nil {
				t.Fatal(err)
			}
			job, err := os.ReadFile(filepath.Join(dir, "job.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			edited := tt.edit(t, dir, string(job))
			if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runCLI(t, "validate", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml"))
			if code != exitUsage {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitUsage, stdout, stderr)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "run", "report.jsonl")); err == nil {
				t.Errorf("a report was written: rows were evaluated")
			}
		})
	}
}
