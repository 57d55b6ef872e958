package pipeline

import (
	"bytes"
	"context"
	"fmt"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// reconcileUnknown settles the records a run left unknown (sent, no answer recorded, or an
// answer that did not say) before Resume sends anything, and at the end of each group of a
// run: a record that may already exist must not be created twice. where and args narrow the
// unknown records to settle (a group; "" for all); without repeat, the records that can be
// repeated stay unknown instead of pending.
//
//   - On Key Creates are looked up by their Code (or id converter) with an exists check: found,
//     the record succeeded (with the id and version found); not found, it is pending and sent
//     again. A Create with nothing to look it up by, or whose check settles nothing (an answer
//     of an unknown shape, an error), stays unknown, saying so: it is never sent again blindly.
//   - On Key Deletes are looked up the same way: gone, the record succeeded (sent again, the
//     delete would fail for want of the record); still there, or with nothing to look it up by,
//     it is pending and sent again.
//   - Updates and Merges, and Onix Work calls that create or update by key
//     (onixwork.Repeatable), can be repeated: they are pending. An Onix Work order or line
//     without its id or import id stays unknown, saying so.
//
// The outcome of each exists-check request is stored as it arrives, so that a process killed
// while settling keeps what it learnt; ctx ends the checks, not the writing of what they found. It returns how many records it settled (succeeded or
// pending).
func reconcileUnknown(ctx context.Context, job *spec.Job, store *runstore.Store, sender *targets.Sender, repeat bool, sel runstore.Selection) (int, error) {
	storeCtx := context.WithoutCancel(ctx) // what was learnt is kept, even when ctx ends the checks
	var outs []runstore.Outcome
	var looked []runstore.Sendable // Creates and Deletes, to look up
	sel.Statuses = []record.Status{record.Unknown}
	err := store.Bodies(storeCtx, sel, func(r runstore.Sendable) error {
		switch {
		case job.Target.Kind == spec.OnixWork && !(onixwork.Target{}).Repeatable(r.Entry()):
			outs = append(outs, runstore.Outcome{Seq: r.Seq, Status: record.Unknown, Messages: []record.Message{{Code: "unanswered",
				Text: "sent, but no answer was recorded, and it has no id or import id by which Onix Work would update " +
					"it instead of creating it again: check whether Onix Work has " + r.UserObjectID + " before sending it again"}}})
			return nil
		case job.Target.Kind != spec.OnKey || (&onkey.Target{}).Repeatable(r.Entry()):
			if repeat {
				outs = append(outs, runstore.Outcome{Seq: r.Seq, Status: record.Pending})
			}
			return nil
		}
		r.Body = bytes.Clone(r.Body)
		looked = append(looked, r)
		return nil
	})
	if err != nil {
		return 0, err
	}
	settled := countStatus(outs, record.Pending)
	if len(outs) > 0 {
		if err := store.SetOutcomes(storeCtx, outs); err != nil {
			return 0, err
		}
	}
	for len(looked) > 0 {
		n := min(len(looked), max(job.Submit.BatchSize, 1))
		outs, err := settleLooked(ctx, job, store, sender, looked[:n])
		if err != nil {
			return settled, err
		}
		if err := store.SetOutcomes(storeCtx, outs); err != nil {
			return settled, err
		}
		settled += len(outs) - countStatus(outs, record.Unknown)
		looked = looked[n:]
	}
	return settled, nil
}

// settleLooked looks up unknown On Key Creates and Deletes (one exists-check request) and
// returns their outcomes, as reconcileUnknown describes.
func settleLooked(ctx context.Context, job *spec.Job, store *runstore.Store, sender *targets.Sender, looked []runstore.Sendable) ([]runstore.Outcome, error) {
	found, err := lookUp(ctx, job, sender, looked)
	if err != nil {
		return nil, err
	}
	seqs := make([]int64, len(looked))
	for i, r := range looked {
		seqs[i] = r.Seq
	}
	before, err := store.MessagesOf(context.WithoutCancel(ctx), seqs)
	if err != nil {
		return nil, err
	}
	outs := make([]runstore.Outcome, 0, len(looked))
	for _, r := range looked {
		l, checked := found[r.UserObjectID]
		o := runstore.Outcome{Seq: r.Seq, Status: record.Pending}
		if checked && l.Gone() {
			o.Messages = []record.Message{{Code: "not_applied", Severity: "info", Text: fmt.Sprintf(
				"its outcome was not known, and On Key has no %s with %s: it was not applied and is sent again", l.Check.EntityType, l.Check.Key())}}
		}
		if onkey.IsDelete(r.Action) && checked && l.Found {
			o.Messages = []record.Message{{Code: "not_applied", Severity: "info", Text: fmt.Sprintf(
				"its outcome was not known, and On Key still has %s with %s: it is sent again", l.Check.EntityType, l.Check.Key())}}
		}
		switch {
		case onkey.IsDelete(r.Action):
			if checked && l.Gone() {
				o.Status, o.Messages = record.Succeeded, []record.Message{l.Deleted("its outcome was not known")}
			}
		case !checked:
			o.Status, o.Messages = record.Unknown, []record.Message{{Code: "unanswered",
				Text: "sent, but its outcome is not known, and it has no Code to look it up by: check whether On Key has " +
					r.UserObjectID + " before sending it again"}}
		case l.Problem != "":
			o.Status, o.Messages = record.Unknown, append(whyUnknown(before[r.Seq]), record.Message{Code: "unanswered", Text: fmt.Sprintf(
				"sent, but its outcome is not known, and the exists check by %s settles nothing (%s): it is not sent again; "+
					"check whether On Key has %s (bulkload reconcile) before sending it again", l.Check.Key(), l.Problem, r.UserObjectID)})
		case l.Found:
			o.Status, o.ServerID, o.Version = record.Succeeded, l.ID, l.Version
			o.Messages = []record.Message{{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
				"its outcome was not known; On Key has %s with %s, so it was created then", l.Check.EntityType, l.Check.Key())}}
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// whyUnknown is what a record's messages said of its outcome before it was looked up: those of
// its answer, without the notes of earlier lookups.
func whyUnknown(ms []record.Message) []record.Message {
	var out []record.Message
	for _, m := range ms {
		if m.Code != "unanswered" {
			out = append(out, m)
		}
	}
	return out
}

// countStatus is how many of outs have status.
func countStatus(outs []runstore.Outcome, status record.Status) int {
	n := 0
	for _, o := range outs {
		if o.Status == status {
			n++
		}
	}
	return n
}
