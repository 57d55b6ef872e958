package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bulkload/bulkload/sandbox"
)

// slowSandbox starts a sandbox whose every call takes latency, so that a run of a few thousand
// records sends for long enough to be caught at it.
func slowSandbox(t *testing.T, latency time.Duration) *sandbox.Server {
	t.Helper()
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = latency
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// imports counts the import requests the sandbox has received.
func imports(sb *sandbox.Server) int {
	n := 0
	for _, r := range sb.Requests() {
		if strings.HasSuffix(r.Path, "/imports") {
			n++
		}
	}
	return n
}

// waitFor polls cond every 5 ms until it holds, failing the test after 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// finished is a bulkload process that ended: its exit code (-1 if killed), stderr and duration.
type finished struct {
	code   int
	stderr string
	took   time.Duration
	pid    int
}

// runBulkload runs bulkload args as a process of its own to its end.
func runBulkload(t *testing.T, sb *sandbox.Server, args ...string) finished {
	t.Helper()
	start := time.Now()
	cmd, stderr := startBulkload(t, sb, args...)
	_ = cmd.Wait()
	return finished{code: cmd.ProcessState.ExitCode(), stderr: stderr.String(), took: time.Since(start), pid: cmd.Process.Pid}
}

// killWhileSending starts `bulkload run --out runDir job` and SIGKILLs it once the sandbox has
// received at least n imports, that is while it sends.
func killWhileSending(t *testing.T, sb *sandbox.Server, dir, runDir string, n int) {
	t.Helper()
	cmd, stderr := startBulkload(t, sb, "run", "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml"))
	waitFor(t, "the run to send", func() bool { return imports(sb) >= n })
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the run ended before it was killed: exit %d\n%s", cmd.ProcessState.ExitCode(), stderr)
	}
}

// heldOnce returns how many SiteTypes of the job the sandbox holds, as its inspection endpoint
// lists them, failing the test for every one it holds twice.
func heldOnce(t *testing.T, sb *sandbox.Server) int {
	t.Helper()
	resp, err := http.Get(sb.URL() + "/_sandbox/records?entityType=SiteType")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var held []sandbox.Record
	if err := json.NewDecoder(resp.Body).Decode(&held); err != nil {
		t.Fatalf("GET /_sandbox/records: %v", err)
	}
	seen := map[string]bool{}
	for _, r := range held {
		if r.UserObjectID == "" {
			continue // seeded
		}
		if seen[r.UserObjectID] {
			t.Errorf("the sandbox holds %s twice", r.UserObjectID)
		}
		seen[r.UserObjectID] = true
	}
	return len(seen)
}

// reportStatuses counts the statuses of report.jsonl in runDir.
func reportStatuses(t *testing.T, runDir string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runDir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var l struct{ Status string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("report.jsonl: %v", err)
		}
		counts[l.Status]++
	}
	return counts
}
