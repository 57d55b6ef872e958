package pipeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A dry run into a run directory that an interrupted writer left temporaries in (a cut report
// under its temporary name, a half-written payloads folder) replaces the reports and payloads/
// whole: no temporary is left, and payloads/ holds this run's files only.
func TestDryRunReplacesReportsWhole(t *testing.T) {
	folder := t.TempDir()
	files := map[string]string{"job.yaml": ordersJob, "orders.csv": "order_no,date,customer,line,qty,unit,note\nA1,01.02.2024,C1,1,2,pcs,\n",
		"row.schema.json": ordersSchema, "units.csv": units}
	out := dryRun(t, files, folder)
	run := out.RunDir
	leftovers := map[string]string{".tmp-report.csv": "userObjectId,status\nO1,va", ".tmp-payloads/01-orders.jsonl": "{\"cut",
		"payloads/stale.jsonl": "{}\n"}
	for name, content := range leftovers {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(run, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(run, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dryRun(t, map[string]string{"job.yaml": ""}, folder)
	entries, err := os.ReadDir(run)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("%s is left in the run directory", e.Name())
		}
	}
	for _, want := range []string{"report.csv", "report.jsonl", "summary.json", "payloads", "run.db", "run.lock"} {
		if !slices.Contains(names, want) {
			t.Errorf("the run directory holds %v: no %s", names, want)
		}
	}
	payloads, err := os.ReadDir(filepath.Join(run, "payloads"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range payloads {
		if e.Name() == "stale.jsonl" {
			t.Errorf("payloads/ still holds a file of the run before: it was not replaced whole")
		}
	}
	if lines := reportLines(t, run); len(lines) != 2 {
		t.Errorf("report.jsonl: %q, want the order and its line", lines)
	}
}
