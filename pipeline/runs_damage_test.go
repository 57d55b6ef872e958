package pipeline_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/sandbox"
)

// An interrupted run is the one to resume, until its store is found to lack what it recorded:
// a resume refuses such a store, so the listing no longer offers it and says why.
func TestListRunsDamagedStoreIsNotOffered(t *testing.T) {
	stop := make(chan struct{})
	var once sync.Once
	r := runJobOnSandboxWith(t, createsJob, sandbox.DefaultConfig(), 200, 10, 2, pipeline.RunOptions{
		Stop: stop, Sent: func(int) { once.Do(func() { close(stop) }) }})
	if !errors.Is(r.err, pipeline.Interrupted) {
		t.Fatalf("run: %v, want Interrupted", r.err)
	}
	list := func() rundir.Entry {
		runs, err := rundir.List(t.Context(), r.dir, "")
		if err != nil || len(runs) != 1 {
			t.Fatalf("List of the run directory itself: %d runs, %v; want it alone", len(runs), err)
		}
		return runs[0]
	}
	if e := list(); !e.Resume || e.State != rundir.StateInterrupted || e.Problem != "" {
		t.Fatalf("interrupted run: resume %v, state %s, problem %q; want it marked to resume", e.Resume, e.State, e.Problem)
	}
	editStore(t, r, `INSERT INTO meta(key, value) VALUES('damage', 'it holds 3 records fewer than when sending began')`)
	e := list()
	if e.Resume || e.Resumable || !strings.Contains(e.Problem, "cannot be trusted (it holds 3 records fewer than when sending began): a resume refuses it") {
		t.Errorf("damaged store: resume %v, resumable %v, problem %q; want it not offered, saying why", e.Resume, e.Resumable, e.Problem)
	}
}
