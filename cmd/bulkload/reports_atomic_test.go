package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A dry run of 15,000 records is killed (SIGKILL) at moments spread over its length, reports
// being written among them: every time, report.csv, report.jsonl and summary.json are whole,
// the last run's or the one before's, never cut short.
func TestReportsAppearWholeAfterKills(t *testing.T) {
	if testing.Short() {
		t.Skip("seven dry runs over 15,000 rows: not in -short")
	}
	const rows = 15000
	sb := slowSandbox(t, 0)
	dir := writeKillJob(t, rows)
	runDir := filepath.Join(dir, "run")
	args := []string{"validate", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml")}
	first := runBulkload(t, sb, args...)
	if first.code != exitOK {
		t.Fatalf("exit %d\n%s", first.code, first.stderr)
	}
	whole(t, runDir, rows)
	caught := 0
	for i := range 6 {
		cmd, _ := startBulkload(t, sb, args...)
		kill := time.Duration(float64(first.took) * (0.45 + 0.1*float64(i)))
		timer := time.AfterFunc(kill, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		_ = cmd.Wait()
		timer.Stop()
		if _, err := os.Stat(filepath.Join(runDir, ".tmp-report.jsonl")); err == nil {
			caught++ // killed while writing the reports
		}
		whole(t, runDir, rows)
	}
	if caught == 0 {
		t.Errorf("no kill landed while the reports were written (a run takes %s): the test proves nothing", first.took)
	}
	t.Logf("a dry run takes %s; %d of 6 kills landed while the reports were written", first.took, caught)
}

// whole fails the test unless the reports in runDir are whole: every line of a run over rows
// records, parsed.
func whole(t *testing.T, runDir string, rows int) {
	t.Helper()
	f, err := os.Open(filepath.Join(runDir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := csv.NewReader(f).ReadAll()
	if err != nil || len(lines) != rows+1 || len(lines[rows]) != len(lines[0]) {
		t.Fatalf("report.csv: %d lines (%v), want %d whole ones", len(lines), err, rows+1)
	}
	data, err := os.ReadFile(filepath.Join(runDir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	jl := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(jl) != rows || !json.Valid([]byte(jl[rows-1])) {
		t.Fatalf("report.jsonl: %d lines, the last %q; want %d whole ones", len(jl), jl[len(jl)-1], rows)
	}
	data, err = os.ReadFile(filepath.Join(runDir, "summary.json"))
	if err != nil || !json.Valid(data) {
		t.Fatalf("summary.json is not whole JSON (%v)", err)
	}
}
