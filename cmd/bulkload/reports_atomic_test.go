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

// A dry run of 5,000 records is killed (SIGKILL) while it writes its reports, at three moments
// after it starts writing report.jsonl: every time, report.csv, report.jsonl and
// summary.json are whole, the run's before, never cut short.
func TestReportsAppearWholeAfterKills(t *testing.T) {
	if testing.Short() {
		t.Skip("four dry runs over 5,000 rows: not in -short")
	}
	const rows = 5000
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
	for i := range 3 {
		started := time.Now()
		cmd, _ := startBulkload(t, sb, args...)
		ended := make(chan struct{})
		go func() { _ = cmd.Wait(); close(ended) }()
		writing := false
	poll:
		for {
			select {
			case <-ended:
				break poll
			case <-time.After(time.Millisecond):
			}
			if reportsBeingWritten(runDir, started) {
				writing = true
				time.Sleep(time.Duration(i) * 10 * time.Millisecond)
				_ = cmd.Process.Signal(syscall.SIGKILL)
				<-ended
				break
			}
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); writing && ok && ws.Signaled() {
			caught++
		}
		whole(t, runDir, rows)
	}
	if caught == 0 {
		t.Errorf("no kill landed while the reports were written (a run takes %s): the test proves nothing", first.took)
	}
	t.Logf("a dry run takes %s; %d of 3 kills landed while the reports were written", first.took, caught)
}

// reportsBeingWritten says whether a run started at started is writing report.jsonl: under a
// temporary name, or under its own (modified since).
func reportsBeingWritten(runDir string, started time.Time) bool {
	if _, err := os.Stat(filepath.Join(runDir, ".tmp-report.jsonl")); err == nil {
		return true
	}
	fi, err := os.Stat(filepath.Join(runDir, "report.jsonl"))
	return err == nil && fi.ModTime().After(started)
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
