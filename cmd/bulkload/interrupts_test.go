package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/sandbox"
)

// The first interrupt stops a run gently: no new request, those in flight answered and recorded,
// the reports written, exit 130 with the way to finish; the resume then ends the run. A second
// interrupt quits at once, still with 130, and the run can be resumed too.
func TestInterrupts(t *testing.T) {
	if testing.Short() {
		t.Skip("processes of their own: not in -short")
	}
	for _, signals := range []int{1, 2} {
		t.Run(map[int]string{1: "once", 2: "twice"}[signals], func(t *testing.T) {
			const rows = 3000
			cfg := sandbox.DefaultConfig()
			cfg.Faults.Latency = 200 * time.Millisecond // answers in flight when the interrupt comes
			sb, err := sandbox.Start(cfg, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer sb.Close()
			dir := writeKillJob(t, rows)
			runDir := filepath.Join(dir, "run")
			cmd, stderr := startBulkload(t, sb, "run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml"))
			for len(sb.Requests()) < 3 { // sending has begun
				time.Sleep(10 * time.Millisecond)
			}
			for range signals {
				_ = cmd.Process.Signal(syscall.SIGINT)
				time.Sleep(20 * time.Millisecond)
			}
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("exit %d, want %d\n%s", code, exitInterrupted, stderr)
			}
			if !strings.Contains(stderr.String(), "bulkload run --resume "+runDir) {
				t.Errorf("stderr does not say how to finish:\n%s", stderr)
			}
			if signals == 1 {
				for _, q := range sb.Requests() {
					if q.Done.IsZero() {
						t.Errorf("a request is still unanswered")
					}
				}
				report, err := os.ReadFile(filepath.Join(runDir, "report.jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				if n := strings.Count(string(report), `"status":"succeeded"`); n == 0 || n != countCreated(sb, "SiteType") {
					t.Errorf("the report has %d succeeded, the sandbox stores %d", n, countCreated(sb, "SiteType"))
				}
				if strings.Contains(string(report), `"status":"unknown"`) {
					t.Errorf("a gentle stop left records unknown")
				}
			}
			cmd, stderr = startBulkload(t, sb, "run", "--resume", runDir, "--quiet")
			if err := cmd.Wait(); err != nil {
				t.Fatalf("resume: %v\n%s", err, stderr)
			}
			if got := countCreated(sb, "SiteType"); got != rows {
				t.Errorf("after resuming the sandbox stores %d SiteTypes, want %d", got, rows)
			}
		})
	}
}

// countCreated is how many records of entityType the runs created (seeded ones have no
// userObjectId).
func countCreated(sb *sandbox.Server, entityType string) int {
	n := 0
	for _, rec := range sb.Records(entityType) {
		if rec.UserObjectID != "" {
			n++
		}
	}
	return n
}
