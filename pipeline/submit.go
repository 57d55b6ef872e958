package pipeline

import (
	"context"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/submit"
	"github.com/bulkload/bulkload/targets"
)

// The run store as package submit sees it: the two submitters give their passes' records; the
// writes (marks before sending, outcomes after) are shared here.

// AbortError stops a run before its end: the records not sent stay pending.
type AbortError = submit.AbortError

// Interrupted is why a run stopped when RunOptions.Stop was closed.
var Interrupted = submit.Interrupted

// sendWrites are the writes of a pass of package submit to the run store.
type sendWrites struct{ store *Store }

// MarkSending marks the records seqs as being sent.
func (s sendWrites) MarkSending(ctx context.Context, seqs []int64) error {
	return s.store.MarkSending(ctx, seqs)
}

// SetOutcomes records results.
func (s sendWrites) SetOutcomes(ctx context.Context, outs []record.Result) error {
	return s.store.SetOutcomes(ctx, outcomesOf(outs))
}

// passOptions are the options of a pass of job's records through sender.
func passOptions(job *spec.Job, sender *targets.Sender, tally *submit.Tally, stop <-chan struct{}, progress func(sent, failed int), storeThread func()) submit.Options {
	return submit.Options{BatchSize: job.Submit.BatchSize, Concurrency: job.Submit.Concurrency, Tally: tally, Stop: stop,
		Hold: func() { submit.Hold(sender) }, Progress: progress, Background: storeThread}
}

// newTally is the failure count of a run: submit.max_errors and the breaker.
func newTally(s spec.Submit) *submit.Tally { return submit.NewTally(s.MaxErrors, s.Breaker) }

// entriesOf is recs as the targets take them.
func entriesOf(recs []Sendable) []record.Entry {
	out := make([]record.Entry, len(recs))
	for i, r := range recs {
		out[i] = r.Entry()
	}
	return out
}

// outcomesOf is results as the store takes them.
func outcomesOf(results []record.Result) []RecordOutcome {
	outs := make([]RecordOutcome, len(results))
	for i, r := range results {
		outs[i] = RecordOutcome{Seq: r.Seq, Status: r.Status, ServerID: r.ServerID, Version: r.Version, HTTPStatus: r.HTTPStatus,
			Attempts: r.Attempts, DurationMS: r.DurationMS, Messages: r.Messages}
	}
	return outs
}
