package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/spec"
)

// TestSourceFlagIsRecordedForResume checks that a run started with --source records the
// replacement in its run store, and that the job a resume loads reads the same file.
func TestSourceFlagIsRecordedForResume(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"job.yaml": fixJob, "item.schema.json": fixSchema,
		"items.csv": "code;name;qty\nA1;x;many\n", "corrected.csv": "code;name;qty\nA1;x;1\n"})
	t.Chdir(dir)
	runDir := filepath.Join(dir, "run")
	code, stdout, stderr := runCLI(t, "run", "--sandbox", "--no-progress", "--quiet", "--out", runDir, "--source", "items=corrected.csv", "job.yaml")
	if code == exitUsage || code == exitAborted {
		t.Fatalf("run: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	info, err := rundir.ReadInfo(t.Context(), runDir)
	if err != nil {
		t.Fatal(err)
	}
	want := []spec.SourceFile{{Name: "items", File: filepath.Join(dir, "corrected.csv"), Path: "corrected.csv"}}
	if !slices.Equal(info.SourceFiles, want) {
		t.Fatalf("recorded source files %+v, want %+v", info.SourceFiles, want)
	}
	var errb bytes.Buffer
	job, code, ok := loadRunJob(t.Context(), runDir, streams{out: &bytes.Buffer{}, err: &errb})
	if !ok {
		t.Fatalf("loadRunJob: exit %d: %s", code, errb.String())
	}
	if src, _ := job.Source("items"); src.File != want[0].File {
		t.Errorf("the resumed job reads %s, want %s", src.File, want[0].File)
	}
}
