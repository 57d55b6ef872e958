package pipeline

import (
	"bytes"
	"context"
	"errors"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// reconcileUnknown settles the records a run left unknown (sent, no answer recorded, or an
// answer that did not say) before Resume sends anything, and at the end of each group of a run,
// so that a record that may already exist is not created twice: the target decides of each
// (onkey.Unanswered, once exists checks looked up its Creates and Deletes, batch_size a request;
// onixwork.Unanswered). sel narrows the unknown records to settle (a group; all when empty);
// without repeat, the records that can be repeated stay unknown instead of pending.
//
// The outcome of each exists-check request is stored as it arrives, so that a process killed
// while settling keeps what it learnt; ctx ends the checks, not the writing of what they found.
// It returns how many records it settled (succeeded or pending).
func reconcileUnknown(ctx context.Context, job *spec.Job, store *runstore.Store, sender *targets.Sender, repeat bool, sel runstore.Selection) (int, error) {
	storeCtx := context.WithoutCancel(ctx) // what was learnt is kept, even when ctx ends the checks
	var outs []runstore.Outcome
	var looked []record.Entry // On Key Creates and Deletes, to look up
	sel.Statuses = []record.Status{record.Unknown}
	err := store.Bodies(storeCtx, sel, func(r runstore.Sendable) error {
		var res record.Result
		switch e := r.Entry(); {
		case job.Target.Kind == spec.OnixWork:
			res = onixwork.Unanswered(e)
		case (&onkey.Target{}).Repeatable(e):
			res = onkey.Unanswered(e, nil, nil)
		default:
			e.Body = bytes.Clone(e.Body)
			looked = append(looked, e)
			return nil
		}
		if repeat || res.Status != record.Pending {
			outs = append(outs, res)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	settled := record.CountStatus(outs, record.Pending)
	if len(outs) > 0 {
		if err := store.SetOutcomes(storeCtx, outs); err != nil {
			return 0, err
		}
	}
	for len(looked) > 0 {
		batch := looked[:min(len(looked), max(job.Submit.BatchSize, 1))]
		looked = looked[len(batch):]
		found, err := lookUp(ctx, job, sender, batch)
		if err != nil {
			return settled, err
		}
		seqs := make([]int64, len(batch))
		for i, e := range batch {
			seqs[i] = e.Seq
		}
		before, err := store.MessagesOf(storeCtx, seqs)
		if err != nil {
			return settled, err
		}
		outs := make([]runstore.Outcome, len(batch))
		for i, e := range batch {
			outs[i] = onkey.Unanswered(e, found, before[e.Seq])
		}
		if err := store.SetOutcomes(storeCtx, outs); err != nil {
			return settled, err
		}
		settled += len(outs) - record.CountStatus(outs, record.Unknown)
	}
	return settled, nil
}

// lookUp finds the On Key records entries create or name (onkey.Target.LookUp): a lookup per
// userObjectId, none for a record that has no identity to look it up by. An exists-check
// request without a usable answer is an *AbortError.
func lookUp(ctx context.Context, job *spec.Job, sender *targets.Sender, entries []record.Entry) (map[string]onkey.Lookup, error) {
	found, err := (&onkey.Target{Spec: job.Target, Submit: job.Submit, Sender: sender}).LookUp(ctx, entries)
	if le := new(onkey.LookupError); errors.As(err, &le) {
		return nil, &AbortError{Reason: le.Error()}
	}
	return found, err
}
