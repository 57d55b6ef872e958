package pipeline_test

import (
	"errors"
	"os"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onixwork"
)

// Reconcile refuses a run against Onix Work, which has no way to read a record back, with a setup
// error that says why (exit 2), and writes nothing.
func TestReconcileRefusesOnixWork(t *testing.T) {
	dir := t.TempDir()
	job := &spec.Job{Name: "orders", Target: spec.Target{Kind: spec.OnixWork, URL: "http://127.0.0.1:1"}}
	sum, err := pipeline.Reconcile(t.Context(), job, dir, pipeline.RunOptions{})
	var setup *pipeline.SetupError
	if sum != nil || !errors.As(err, &setup) || !errors.Is(err, onixwork.ErrNoReadBack) {
		t.Fatalf("Reconcile = %v, %v; want a *SetupError of onixwork.ErrNoReadBack", sum, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the run directory holds %v, want nothing written", entries)
	}
}
