package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/sandbox"
)

// bulkload reconcile RUNDIR checks a finished run against the target it was sent to and says
// so; a run whose records the target lost is a mismatch (exit 1), named in reconcile.jsonl.
func TestReconcileCommand(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	// The spec's URL leads nowhere: the run is sent with --target, and reconcile goes where the
	// run went without being told.
	t.Setenv("SANDBOX_URL", "http://127.0.0.1:1")
	t.Setenv("SANDBOX_TOKEN", cfg.Tokens[0])
	dir := writeKillJob(t, 30)
	runDir := filepath.Join(dir, "run")
	if code, _, stderr := runCLI(t, "run", "--target", sb.URL(), "--out", runDir, "--quiet", filepath.Join(dir, "job.yaml")); code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "reconcile", runDir)
	if code != exitOK || !strings.Contains(stdout, "checked 30 records against "+sb.URL()+": 30 agree, 0 mismatch") {
		t.Fatalf("reconcile: exit %d\n%s%s", code, stdout, stderr)
	}

	// Another target, which has none of them: every record is a mismatch.
	other, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	code, stdout, stderr = runCLI(t, "reconcile", "--target", other.URL(), runDir)
	if code != exitSomeFailed || !strings.Contains(stdout, "0 agree, 30 mismatch") || !strings.Contains(stdout, "reconcile.jsonl") {
		t.Fatalf("reconcile against an empty target: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "reconcile", dir); code != exitUsage || !strings.Contains(stderr, "is not a run directory") {
		t.Errorf("reconcile of a folder without a run: exit %d\n%s", code, stderr)
	}
}
