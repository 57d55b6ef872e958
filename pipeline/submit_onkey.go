package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// onKeySubmitter sends the pending records of an On Key job: group by group in ascending
// groupOrder, in import batches of batch_size, with concurrency requests in flight. A group is
// not started until every batch of the groups before it has an outcome, and the children of
// records that failed are skipped before it starts.
type onKeySubmitter struct {
	job      *spec.Job
	sender   *targets.Sender
	store    *Store
	progress func(sent, failed int)
	group    func(groupOrder int)
	target   *onkey.Target
	tally    *tally
	stop     <-chan struct{} // closed: send nothing more (see RunOptions.Stop)
}

// batchDone is a batch's outcome: one per record, or none when the batch was not sent (stop).
type batchDone struct {
	outs []RecordOutcome
	stop error // the run must stop: credentials refused, target unreachable
}

func (k *onKeySubmitter) run(ctx context.Context) error {
	groups, err := k.store.PendingGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := k.store.ResolveParents(ctx); err != nil {
			return err
		}
		if _, err := k.store.HoldDependents(ctx, g); err != nil {
			return err
		}
		k.group(g)
		if err := k.sendGroup(ctx, g); err != nil {
			return err
		}
		if err := k.settleGroup(ctx, g); err != nil {
			return err
		}
	}
	_, err = k.store.ResolveParents(ctx)
	return err
}

// sendGroup sends every pending record of group g and records the outcomes as they arrive. A
// feeder streams the group's pending records from a read connection and has them marked as being
// sent (committed), concurrency batches at a time, before it hands them out; concurrency workers
// each send
// a batch, ask the run gate whether the run goes on, hand the outcomes to the outcome writer and
// take the next batch. At the first stop condition no batch leaves any more; the batches in
// flight finish, and those not sent are put back to pending.
func (k *onKeySubmitter) sendGroup(ctx context.Context, g int) error {
	size, conc := k.job.Submit.BatchSize, k.job.Submit.Concurrency
	feedCtx, stopFeeding := context.WithCancel(ctx)
	defer stopFeeding()
	// Bodies below flushes the store before its first row, so before the feeder asks the writer
	// for its first mark: the two never touch the write connection at once.
	halt := func() { stopFeeding(); holdSending(k.sender) }
	writer := startOutcomeWriter(ctx, k.store, conc, k.progress, halt)
	work := make(chan []Sendable, conc)
	feedErr := make(chan error, 1)
	go func() {
		lowerPriority()
		defer close(work)
		// Records are marked a chunk of concurrency batches at a time: one commit per chunk, so
		// that marking keeps up with workers whose calls are quick. (Marking the first batches one
		// by one starts the workers a few milliseconds sooner, but under load its commits cannot
		// keep up with quick calls: TestSandboxGroupsInOrder under -race.)
		var chunk []Sendable
		handOut := func() error {
			if len(chunk) == 0 {
				return nil
			}
			if err := writer.markSending(chunk); err != nil {
				return err
			}
			for len(chunk) > 0 {
				n := min(size, len(chunk))
				select {
				case work <- chunk[:n:n]:
					chunk = chunk[n:]
				case <-feedCtx.Done():
					writer.unsent(chunk)
					chunk = nil
					return feedCtx.Err()
				}
			}
			return nil
		}
		err := k.store.Bodies(feedCtx, "status = 'pending' AND group_order = ? AND NOT "+heldBack, "seq", func(r Sendable) error {
			if feedCtx.Err() != nil {
				return feedCtx.Err()
			}
			r.Body = bytes.Clone(r.Body)
			if chunk = append(chunk, r); len(chunk) == size*conc {
				return handOut()
			}
			return nil
		}, g)
		if err == nil && feedCtx.Err() == nil {
			err = handOut()
		}
		if feedCtx.Err() != nil {
			err = nil // stopped on purpose
		}
		feedErr <- err
	}()

	gate := &runGate{tally: k.tally, halt: halt}
	defer gate.watch(k.stop)()
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for recs := range work {
				if gate.stopped() || feedCtx.Err() != nil {
					writer.unsent(recs)
					continue
				}
				d := k.send(ctx, recs)
				gate.record(d)
				writer.write(d.outs)
			}
		}()
	}
	wg.Wait()
	if err := writer.close(); err != nil {
		return err
	}
	if err := <-feedErr; err != nil {
		return err
	}
	if err := gate.err(); err != nil {
		return err
	}
	return ctx.Err()
}

// send makes one import request of recs and reads every record's outcome from the answer.
func (k *onKeySubmitter) send(ctx context.Context, recs []Sendable) batchDone {
	batch := entriesOf(recs)
	ans, err := k.sender.Send(ctx, k.target.Call(batch))
	if done, ok := failedCall(err, recs); ok {
		return done
	}
	return batchDone{outs: outcomesOf(k.target.Read(ctx, ans, batch))}
}

// allOf gives every record of recs the same outcome.
func allOf(recs []Sendable, o RecordOutcome) []RecordOutcome {
	outs := make([]RecordOutcome, len(recs))
	for i, r := range recs {
		outs[i] = o
		outs[i].Seq = r.Seq
	}
	return outs
}

// AbortError stops a run before its end: the records not sent stay pending.
type AbortError struct{ Reason string }

func (e *AbortError) Error() string { return "aborted: " + e.Reason }

// tally counts failed records against submit.max_errors, and each request's outcomes (one call
// of add) against the breaker, if any.
type tally struct {
	max     int
	failed  int
	breaker *breaker
}

// add counts outs and returns an *AbortError once max records (max > 0) have failed, or when
// the breaker trips.
func (t *tally) add(outs []RecordOutcome) error {
	for _, o := range outs {
		if o.Status == Failed {
			t.failed++
		}
	}
	if t.max > 0 && t.failed >= t.max {
		return &AbortError{Reason: fmt.Sprintf("%d records failed, the limit is %d (submit.max_errors or --max-errors)", t.failed, t.max)}
	}
	if t.breaker != nil {
		return t.breaker.observe(outs)
	}
	return nil
}
