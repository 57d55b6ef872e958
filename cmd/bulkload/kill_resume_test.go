package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/sandbox"
)

// A target whose import answers bulkload cannot read (an object of an unknown shape) leaves
// every record it sent unknown, to be settled by exists checks. A run killed while sending
// leaves thousands of them; each of ten resumes, SIGKILLed 2 s after it starts, settles more
// records than the one before (each exists check's outcome is stored as it arrives), and one
// resume to the end leaves every SiteType stored once.
func TestKilledResumesMakeProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("12 processes over 20k records: not in -short")
	}
	const rows = 20000 // enough that ten killed resumes do not settle them all
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 100 * time.Millisecond
	cfg.Answers.PerRecord = "object"
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	dir := writeKillJob(t, rows)
	runDir := filepath.Join(dir, "run")
	killAfter := func(d time.Duration, args ...string) {
		t.Helper()
		cmd, stderr := startBulkload(t, sb, args...)
		timer := time.AfterFunc(d, func() { _ = cmd.Process.Signal(syscall.SIGKILL) })
		err := cmd.Wait()
		timer.Stop()
		if !killedBySIGKILL(cmd) {
			t.Fatalf("bulkload %v ended before it was killed (%v):\n%s", args, err, stderr)
		}
	}

	killAfter(7*time.Second, "run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml"))
	settled, unknown := storeCounts(t, runDir)
	t.Logf("killed run: %d settled, %d unknown", settled, unknown)
	if unknown < 5000 {
		t.Fatalf("the killed run left %d records unknown; the test needs thousands", unknown)
	}
	for i := 1; i <= 10; i++ {
		killAfter(2*time.Second, "run", "--resume", runDir, "--quiet")
		now, unknown := storeCounts(t, runDir)
		t.Logf("resume %d killed: %d settled, %d unknown", i, now, unknown)
		if now <= settled {
			t.Errorf("resume %d, killed after 2 s, settled nothing: %d settled records before, %d after", i, settled, now)
		}
		settled = now
	}
	cmd, stderr := startBulkload(t, sb, "run", "--resume", runDir, "--quiet")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the last resume: %v\n%s", err, stderr)
	}
	if settled, unknown := storeCounts(t, runDir); settled != rows || unknown != 0 {
		t.Errorf("after the last resume: %d settled, %d unknown; want all %d settled", settled, unknown, rows)
	}
	held := map[string]int{}
	for _, rec := range sb.Records("SiteType") {
		if rec.UserObjectID != "" {
			held[rec.UserObjectID]++
		}
	}
	for uoid, n := range held {
		if n != 1 {
			t.Errorf("the sandbox holds %s %d times", uoid, n)
		}
	}
	if len(held) != rows {
		t.Errorf("the sandbox holds %d SiteTypes, want %d", len(held), rows)
	}
}

// killedBySIGKILL reports whether the process cmd ran ended by SIGKILL.
func killedBySIGKILL(cmd *exec.Cmd) bool {
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// storeCounts reads the run store of runDir: how many records are settled (succeeded or
// failed) and how many unknown.
func storeCounts(t *testing.T, runDir string) (settled, unknown int) {
	t.Helper()
	facts, err := runstore.ReadFacts(t.Context(), filepath.Join(runDir, "run.db"))
	if err != nil {
		t.Fatal(fmt.Errorf("reading %s: %w", runDir, err))
	}
	n := facts.Records
	return n[string(record.Succeeded)] + n[string(record.Failed)], n[string(record.Unknown)]
}
