package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// reevaluate gives a resumed run whose files changed (ResumeOptions.Force) a store evaluated from
// the files as they are now, with the outcomes of old carried over (CarryOver), in place of old,
// which it closes. It returns the new store, open. Until the new store is renamed into place the
// old one stays as it was, so a crash leaves one or the other.
func reevaluate(ctx context.Context, job *spec.Job, dir string, old *runstore.Store, fp rundir.Fingerprint, eo Options, retryFailed bool) (*runstore.Store, error) {
	started, err := old.Meta(ctx, "started")
	if err != nil {
		return nil, err
	}
	marks, err := old.Meta(ctx, runstore.MetaMarks) // the new store takes over the old one's count (runstore.MarksFile)
	if err != nil {
		return nil, err
	}
	if err := old.Close(); err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, ".reevaluated")
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	eo.RunDir = tmp
	ev, err := evaluateJob(ctx, job, eo, "run", false)
	if err != nil {
		return nil, err
	}
	fresh := ev.store
	fail := func(err error) (*runstore.Store, error) {
		fresh.Close()
		os.RemoveAll(tmp)
		return nil, err
	}
	if ev.readErr != nil {
		return fail(&SetupError{Err: fmt.Errorf("the changed files cannot be read to their end, so the run is left as it was: %w", ev.readErr)})
	}
	if err := ev.saveForResume(ctx, fp); err != nil {
		return fail(err)
	}
	if err := fresh.CarryOver(ctx, filepath.Join(dir, runstore.FileName), retryFailed); err != nil {
		return fail(err)
	}
	if _, err := fresh.MarkPending(ctx); err != nil {
		return fail(err)
	}
	for k, v := range map[string]string{"started": started, runstore.MetaPhase: runstore.PhaseSending, runstore.MetaMarks: marks} {
		if err := fresh.SetMeta(ctx, k, v); err != nil {
			return fail(err)
		}
	}
	if err := fresh.Close(); err != nil {
		return fail(err)
	}
	path := filepath.Join(dir, runstore.FileName)
	if err := runstore.Replace(path, filepath.Join(tmp, runstore.FileName)); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	return runstore.Open(ctx, path)
}
