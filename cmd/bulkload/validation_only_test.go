package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidationOnlyCLI: validate reports a validation-only job's rows (exit 1: some invalid);
// run refuses it before making a run directory, exit 2, saying what to add.
func TestValidationOnlyCLI(t *testing.T) {
	const job = "testdata/validation-only/job.yaml"
	runDir := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runCLI(t, "validate", "--no-progress", "--out", runDir, job)
	if code != exitSomeFailed || !strings.Contains(stdout, "records: 6 (3 valid, 3 invalid, 0 skipped)") || strings.Contains(stdout, "not read by any mapping") {
		t.Errorf("validate: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	report := readFile(t, runDir, "report.csv")
	if !strings.Contains(report, "\npeople:3,invalid,people,") || !strings.Contains(report, "\npeople:7,valid,people,") {
		t.Errorf("report.csv does not key rows as <source>:<line>:\n%s", report)
	}
	sent := filepath.Join(t.TempDir(), "sent")
	code, stdout, stderr = runCLI(t, "run", "--no-progress", "--out", sent, job)
	want := "bulkload: job people-check has no target and no entities, so it can only be validated (bulkload validate testdata/validation-only/job.yaml); " +
		"to send its rows, add a target: (kind, url and, for On Key, tenant and connection) and entities: that map each source's rows to records; nothing was read or sent\n"
	if code != exitUsage || stderr != want || stdout != "" {
		t.Errorf("run: exit %d\nstdout:\n%s\nstderr:\n%s\nwant stderr:\n%s", code, stdout, stderr, want)
	}
	if _, err := os.Stat(sent); !os.IsNotExist(err) {
		t.Errorf("run made its run directory (stat: %v)", err)
	}
}
