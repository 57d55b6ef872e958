package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An error after the spec loaded (here: a run directory that cannot be made) is JSON on stdout
// too with --json, its exit_code the one the command exits with, its kind the one that code
// means; without --json stdout stays empty.
func TestJSONErrorOfARunError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(file, "run") // under a regular file: cannot be made
	job := "../../samples/onkey-sites/job.yaml"
	kinds := map[int]string{exitUsage: "setup", exitAborted: "aborted"}

	code, stdout, stderr := runCLI(t, "validate", "--json", "--out", out, job)
	var r errorReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if r.Error.ExitCode != code || kinds[code] == "" || r.Error.Kind != kinds[code] || r.Error.Command != "validate" {
		t.Errorf("exit %d, report %+v", code, r.Error)
	}
	if !strings.Contains(r.Error.Message, "run") || !strings.Contains(stderr, r.Error.Message) {
		t.Errorf("message %q is not the one on stderr: %s", r.Error.Message, stderr)
	}

	plainCode, plainOut, _ := runCLI(t, "validate", "--out", out, job)
	if plainCode != code || plainOut != "" {
		t.Errorf("without --json: exit %d (want %d), stdout %q", plainCode, code, plainOut)
	}
}

// reconcile --json prints the verdict counts as one JSON object on stdout.
func TestReconcileJSON(t *testing.T) {
	runDir, _ := sentRunDir(t)
	code, stdout, stderr := runCLI(t, "reconcile", "--json", runDir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var got struct {
		Target   string         `json:"target"`
		Verdicts map[string]int `json:"verdicts"`
		File     string         `json:"file"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not the verdicts: %v\n%s", err, stdout)
	}
	if got.Verdicts["agrees"] != 2 || got.Target != os.Getenv("SANDBOX_URL") || filepath.Base(got.File) != "reconcile.jsonl" {
		t.Errorf("reconcile --json: %+v", got)
	}
}
