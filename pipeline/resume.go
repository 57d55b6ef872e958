package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// ResumeOptions tunes Resume: those of Run, and what else to send again.
type ResumeOptions struct {
	RunOptions
	// RetryFailed sends the records that failed again (and the children skipped for them).
	RetryFailed bool
	// Force resumes a run whose files changed: every row is evaluated again (see Resume).
	Force bool
}

// openRunStore opens the store of the existing run directory dir (rundir.OpenStore, reading it
// only when reading); an error other than a damaged store is a *SetupError: nothing was read.
func openRunStore(ctx context.Context, dir string, reading bool) (*runstore.Store, error) {
	s, err := rundir.OpenStore(ctx, dir, reading)
	if err != nil && !errors.As(err, new(*runstore.DamagedError)) {
		err = &SetupError{Err: err}
	}
	return s, err
}

// Resume finishes the run in dir, which Run started for job (loaded from rundir.ReadInfo(dir)) and which
// was stopped or killed at any point. Succeeded records are never sent again. Records left
// unknown (sent, no answer recorded) are reconciled with the target first: On Key Creates are
// looked up by Code (found: succeeded; not found: sent again; a check that settles nothing:
// still unknown, never sent again), other On Key actions and every
// Onix Work call (create or update by key) are sent again. Pending records are sent; failed ones
// (and the records skipped for them) only with RetryFailed, or when their source row changed. A
// run stopped before it finished evaluating sent nothing and is started again in dir.
//
// Resume refuses (*rundir.ChangedError) when the job's files changed since the run started,
// unless Force: then every row is evaluated again and the outcomes that stand are carried over
// (runstore.Store.CarryOver).
func Resume(ctx context.Context, job *spec.Job, dir string, opts ResumeOptions) (*Outcome, error) {
	if err := job.CheckRunnable(); err != nil {
		return nil, &SetupError{Err: err}
	}
	ro := opts.RunOptions.withDefaults()
	release, err := ro.holdExistingRunDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	store, err := openRunStore(ctx, dir, false)
	if err != nil {
		return nil, err
	}
	phase, err := store.Meta(ctx, runstore.MetaPhase)
	if err != nil {
		store.Close()
		return nil, err
	}
	if phase != runstore.PhaseSending {
		// Stopped while evaluating: nothing was sent. Start again; the new store replaces this one.
		if err := store.Close(); err != nil {
			return nil, err
		}
		return run(ctx, job, ro)
	}
	defer func() { // the store in use at the end: reevaluate replaces it (nil if it failed)
		if store != nil {
			store.Close()
		}
	}()
	var was rundir.Fingerprint
	if err := rundir.ReadMetaJSON(ctx, store, rundir.MetaFingerprint, &was); err != nil {
		return nil, err
	}
	now, err := rundir.TakeFingerprint(job)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	changes := was.Changes(now)
	if len(changes) > 0 && !opts.Force {
		return nil, &SetupError{Err: &rundir.ChangedError{Changes: changes}}
	}
	sender, err := newSender(job, ro)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	if len(changes) > 0 || opts.RetryFailed || hasWork(ctx, store) {
		if err := preflight(ctx, job, sender); err != nil {
			return nil, err
		}
	}
	if _, err := reconcileUnknown(ctx, job, store, sender, true, runstore.Selection{}); err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		if store, err = reevaluate(ctx, job, dir, store, now, ro.Options, opts.RetryFailed); err != nil {
			return nil, err
		}
	}
	ev, err := reopenEvaluated(ctx, job, dir, store)
	if err != nil {
		return nil, err
	}
	if opts.RetryFailed {
		if err := store.RetryFailed(ctx); err != nil {
			return nil, err
		}
	}
	if _, err := store.ResolveParents(ctx); err != nil {
		return nil, err
	}
	pending, err := store.CountStatus(ctx, record.Pending)
	if err != nil {
		return nil, err
	}
	if err := store.BeginSending(ctx); err != nil {
		return nil, err
	}
	ro.Sending(pending)
	return ev.send(ctx, sender, ro)
}

// saveForResume records, before anything is sent, what Resume needs besides the records
// (rundir.SaveInputs): the fingerprint of the files they were evaluated from, what was read
// from each source and the target.
func (ev *evaluated) saveForResume(ctx context.Context, fp rundir.Fingerprint) error {
	return rundir.SaveInputs(ctx, ev.store, rundir.Inputs{Fingerprint: fp, Stats: ev.stats, Target: ev.job.Target.URL})
}

// reopenEvaluated rebuilds the evaluated job of a run from its store.
func reopenEvaluated(ctx context.Context, job *spec.Job, dir string, store *runstore.Store) (*evaluated, error) {
	store.SendWithoutChildren(job)
	ev := &evaluated{job: job, dir: dir, store: store, mode: "run"}
	if err := rundir.ReadMetaJSON(ctx, store, rundir.MetaStats, &ev.stats); err != nil {
		return nil, err
	}
	started, err := store.Meta(ctx, "started")
	if err != nil {
		return nil, err
	}
	if ev.started, err = time.Parse(time.RFC3339, started); err != nil {
		return nil, fmt.Errorf("run store: meta started: %w", err)
	}
	return ev, nil
}

// hasWork reports whether the store holds records a resume would send or look up (pending or
// unknown); a store it cannot count is taken to have some, so that the check before sending runs.
func hasWork(ctx context.Context, s *runstore.Store) bool {
	for _, status := range []record.Status{record.Pending, record.Unknown} {
		if n, err := s.CountStatus(ctx, status); err != nil || n > 0 {
			return true
		}
	}
	return false
}
