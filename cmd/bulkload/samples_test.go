package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files under samples/*/expected")

// TestSamples runs every sample job in samples/ as a dry run and compares what it wrote (exit
// code, stdout, report.csv, report.jsonl, summary.json, payloads/, fix/, annotated/ as text)
// with the sample's expected/ folder. Run with -update to rewrite them after a deliberate change.
func TestSamples(t *testing.T) {
	specs, err := filepath.Glob("../../samples/*/job.yaml")
	if err != nil || len(specs) < 2 {
		t.Fatalf("samples: %v (found %d)", err, len(specs))
	}
	for _, spec := range specs {
		name := filepath.Base(filepath.Dir(spec))
		t.Run(name, func(t *testing.T) {
			runDir := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"validate", "--out", runDir, spec}, streams{out: &stdout, err: &stderr})
			if code > exitSomeFailed {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
			}
			got := map[string]string{
				"exit-code":    fmt.Sprintln(code),
				"stdout.txt":   normalizeStdout(stdout.String(), runDir),
				"report.csv":   readFile(t, runDir, "report.csv"),
				"errors.csv":   readFile(t, runDir, "errors.csv"),
				"report.jsonl": readFile(t, runDir, "report.jsonl"),
				"summary.json": normalizeSummary(t, readFile(t, runDir, "summary.json")),
			}
			for _, sub := range []string{"payloads", "fix", "annotated"} {
				files, _ := filepath.Glob(filepath.Join(runDir, sub, "*"))
				for _, f := range files {
					rel := sub + "/" + filepath.Base(f)
					if strings.HasSuffix(f, ".xlsx") {
						got[rel+".csv"] = xlsxAsCSV(t, f)
						continue
					}
					got[rel] = readFile(t, runDir, rel)
				}
			}
			compareGolden(t, filepath.Join(filepath.Dir(spec), "expected"), got)
		})
	}
}

// compareGolden compares got (file name -> content) with the files of dir, or rewrites dir.
func compareGolden(t *testing.T, dir string, got map[string]string) {
	t.Helper()
	if *update {
		os.RemoveAll(dir)
		for name, content := range got {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var want []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			want = append(want, filepath.ToSlash(rel))
		}
		return nil
	})
	var have []string
	for name := range got {
		have = append(have, name)
	}
	sort.Strings(have)
	if strings.Join(want, "\n") != strings.Join(have, "\n") {
		t.Errorf("files differ from %s (run go test ./cmd/bulkload -run TestSamples -update after a deliberate change)\nwant: %v\n got: %v", dir, want, have)
	}
	for _, name := range want {
		w, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if g, ok := got[name]; ok && g != string(w) {
			t.Errorf("%s/%s differs:\n--- want\n%s\n--- got\n%s", dir, name, w, g)
		}
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var durationRE = regexp.MustCompile(`, [0-9.]+s\n`)

func normalizeStdout(s, runDir string) string {
	s = strings.ReplaceAll(s, runDir, "RUNDIR")
	return durationRE.ReplaceAllString(s, ", TIME\n")
}

// normalizeSummary blanks what changes from run to run: times and the run directory.
func normalizeSummary(t *testing.T, s string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	m["runDir"], m["started"], m["finished"], m["durationSeconds"] = "RUNDIR", "TIME", "TIME", 0
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b) + "\n"
}

// xlsxAsCSV renders every sheet of a workbook as CSV text, for comparing fix files.
func xlsxAsCSV(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b bytes.Buffer
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "# sheet %s\n", sheet)
		rows, err := f.GetRows(sheet) // small test files only
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(&b)
		w.WriteAll(rows)
	}
	return b.String()
}
