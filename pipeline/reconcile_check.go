package pipeline

import (
	"bytes"
	"context"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// ReconcileSummary counts the verdicts of a Reconcile (onkey.ReconcileAgrees ...).
type ReconcileSummary struct {
	Verdicts map[string]int
	File     string // the path of report.ReconcileFile
}

// reconcileChunk is how many records Reconcile holds at a time.
const reconcileChunk = 1000

// Reconcile checks the succeeded and unknown records of the On Key run in dir against the target
// with exists checks (by the record's id converter or Code) and writes a line per record to
// report.ReconcileFile: a succeeded record the target lacks (or holds under another id; a Delete whose
// record is still there) is a mismatch; an unknown one exists or is absent. It changes nothing,
// in the store or the target. A run against Onix Work cannot be reconciled: a *SetupError of
// onixwork.ErrNoReadBack, before anything is opened.
func Reconcile(ctx context.Context, job *spec.Job, dir string, opts RunOptions) (*ReconcileSummary, error) {
	opts = opts.withDefaults()
	if job.Target.Kind != spec.OnKey {
		return nil, &SetupError{Err: onixwork.ErrNoReadBack}
	}
	release, err := opts.holdExistingRunDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	store, err := openRunStore(ctx, dir, true)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	sender, err := newSender(job, opts)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	ids, err := store.ServerIDs(ctx)
	if err != nil {
		return nil, err
	}
	out, err := report.NewReconciled(dir)
	if err != nil {
		return nil, err
	}
	defer out.Abort()
	var chunk []record.Entry
	check := func() error {
		found, err := lookUp(ctx, job, sender, chunk)
		if err != nil {
			return err
		}
		for _, e := range chunk {
			if err := out.Write(onkey.Reconcile(e, ids[e.Seq], found)); err != nil {
				return err
			}
		}
		chunk = chunk[:0]
		return nil
	}
	err = store.Bodies(ctx, runstore.Selection{Statuses: []record.Status{record.Succeeded, record.Unknown}}, func(r runstore.Sendable) error {
		e := r.Entry()
		e.Body = bytes.Clone(e.Body)
		if chunk = append(chunk, e); len(chunk) == reconcileChunk {
			return check()
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		err = check()
	}
	if err != nil {
		return nil, err
	}
	return &ReconcileSummary{Verdicts: out.Verdicts, File: out.Path}, out.Commit()
}
