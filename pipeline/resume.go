package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// What a run keeps in the store's meta table for Resume.
const (
	metaPhase       = runstore.MetaPhase // phaseSending once every record is evaluated and sending may begin
	metaFingerprint = "fingerprint"      // the job's files (JSON fingerprint)
	metaStats       = "stats"            // what was read from each source (JSON)
	metaTarget      = "target"           // the target's URL
	phaseSending    = runstore.PhaseSending
)

// ResumeOptions tunes Resume: those of Run, and what else to send again.
type ResumeOptions struct {
	RunOptions
	// RetryFailed sends the records that failed again (and the children skipped for them).
	RetryFailed bool
	// Force resumes a run whose files changed: every row is evaluated again (see Resume).
	Force bool
}

// InputsChangedError refuses to resume a run whose files changed since it started: its records
// were evaluated from the old ones.
type InputsChangedError struct{ Changes []string }

func (e *InputsChangedError) Error() string {
	return "the job's files changed since the run started (" + strings.Join(e.Changes, "; ") +
		"); resuming would mix two versions of the data: put the files back, resume with --force to evaluate every row again (what succeeded is not sent again), or start a new run"
}

// RunInfo is what a run directory says of the run it holds.
type RunInfo struct {
	Spec   string // the path of the spec the run started with
	Target string // the target's URL the run sent to (the spec's, or the one given instead)
	// SourceFiles are the files that replaced sources' files (`--source`), to load the spec with.
	SourceFiles []spec.SourceFile
}

// ReadRunInfo reads the run in dir: a resume or a reconcile needs its spec, and must go to the
// same target.
func ReadRunInfo(ctx context.Context, dir string) (RunInfo, error) {
	store, err := openRunStoreReading(ctx, dir)
	if err != nil {
		return RunInfo{}, err
	}
	defer store.Close()
	var info RunInfo
	mode, err := store.Meta(ctx, "mode")
	if err == nil && mode != "run" {
		err = fmt.Errorf("%s holds a %s, not a run: there is nothing to resume", dir, mode)
	}
	if err == nil {
		info.Spec, err = store.Meta(ctx, "spec")
	}
	if err == nil {
		info.Target, err = store.Meta(ctx, metaTarget)
	}
	var files string
	if err == nil {
		files, err = store.Meta(ctx, rundir.MetaSourceFiles)
	}
	if err == nil {
		info.SourceFiles, err = rundir.DecodeSourceFiles(files)
	}
	return info, err
}

// openRunStore opens the store of an existing run directory (OpenStore).
func openRunStore(ctx context.Context, dir string) (*runstore.Store, error) {
	return openDirStore(ctx, dir, false)
}

// openRunStoreReading opens the store of an existing run directory to read it only: one that
// holds less than it recorded is opened too, never a damaged one.
func openRunStoreReading(ctx context.Context, dir string) (*runstore.Store, error) {
	return openDirStore(ctx, dir, true)
}

func openDirStore(ctx context.Context, dir string, tolerateIncomplete bool) (*runstore.Store, error) {
	path := filepath.Join(dir, runstore.FileName)
	if _, err := os.Stat(path); err != nil {
		return nil, &SetupError{fmt.Errorf("%s is not a run directory (no %s in it)", dir, runstore.FileName)}
	}
	open := runstore.Open
	if tolerateIncomplete {
		open = runstore.OpenReading
	}
	s, err := open(ctx, path)
	var damaged *runstore.DamagedError
	if err != nil && !errors.As(err, &damaged) {
		err = &SetupError{err}
	}
	return s, err
}

// Resume finishes the run in dir, which Run started for job (loaded from ReadRunInfo(dir)) and which
// was stopped or killed at any point. Succeeded records are never sent again. Records left
// unknown (sent, no answer recorded) are reconciled with the target first: On Key Creates are
// looked up by Code (found: succeeded; not found: sent again; a check that settles nothing:
// still unknown, never sent again), other On Key actions and every
// Onix Work call (create or update by key) are sent again. Pending records are sent; failed ones
// (and the records skipped for them) only with RetryFailed, or when their source row changed. A
// run stopped before it finished evaluating sent nothing and is started again in dir.
//
// Resume refuses (*InputsChangedError) when the job's files changed since the run started,
// unless Force: then every row is evaluated again and the outcomes that stand are carried over
// (see carryOver).
func Resume(ctx context.Context, job *spec.Job, dir string, opts ResumeOptions) (*Outcome, error) {
	if err := RefuseValidationOnly(job); err != nil {
		return nil, err
	}
	ro := opts.RunOptions.withDefaults()
	release, err := ro.holdExistingRunDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	store, err := openRunStore(ctx, dir)
	if err != nil {
		return nil, err
	}
	phase, err := store.Meta(ctx, metaPhase)
	if err != nil {
		store.Close()
		return nil, err
	}
	if phase != phaseSending {
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
	was, err := readFingerprint(ctx, store)
	if err != nil {
		return nil, err
	}
	now, err := rundir.TakeFingerprint(job)
	if err != nil {
		return nil, &SetupError{err}
	}
	changes := was.Changes(now)
	if len(changes) > 0 && !opts.Force {
		return nil, &SetupError{&InputsChangedError{Changes: changes}}
	}
	sender, err := newSender(job, ro)
	if err != nil {
		return nil, &SetupError{err}
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

// saveForResume records, before anything is sent, what Resume needs besides the records: the
// fingerprint of the files they were evaluated from, and what was read from each source.
func (ev *evaluated) saveForResume(ctx context.Context, fp rundir.Fingerprint) error {
	for key, v := range map[string]any{metaFingerprint: fp, metaStats: ev.stats} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := ev.store.SetMeta(ctx, key, string(b)); err != nil {
			return err
		}
	}
	return nil
}

// readFingerprint returns the fingerprint of the files the run's records were evaluated from.
func readFingerprint(ctx context.Context, store *runstore.Store) (rundir.Fingerprint, error) {
	var fp rundir.Fingerprint
	v, err := store.Meta(ctx, metaFingerprint)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(v), &fp); err != nil {
		return nil, fmt.Errorf("run store: meta %s: %w", metaFingerprint, err)
	}
	return fp, nil
}

// reopenEvaluated rebuilds the evaluated job of a run from its store.
func reopenEvaluated(ctx context.Context, job *spec.Job, dir string, store *runstore.Store) (*evaluated, error) {
	store.SendWithoutChildren(job)
	ev := &evaluated{job: job, dir: dir, store: store, mode: "run"}
	v, err := store.Meta(ctx, metaStats)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(v), &ev.stats); err != nil {
		return nil, fmt.Errorf("run store: meta %s: %w", metaStats, err)
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
