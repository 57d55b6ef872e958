package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

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
	task     func(id string, steps, total int)
	taskMu   sync.Mutex // task is called by one worker at a time
	tally    *tally
	stop     <-chan struct{} // closed: send nothing more (see RunOptions.Stop)
	// storeThread is called first on the goroutines that do the store's work (RunOptions.StoreThread).
	storeThread func()
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
	writer := startOutcomeWriter(ctx, k.store, conc, k.progress, halt, k.storeThread)
	work := make(chan []Sendable, conc)
	feedErr := make(chan error, 1)
	go func() {
		k.storeThread()
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
	bodies := make([]json.RawMessage, len(recs))
	uoids := make([]string, len(recs))
	idempotent := true
	for i, r := range recs {
		bodies[i], uoids[i] = r.Body, r.UserObjectID
		if isCreate(r.Action) {
			idempotent = false
		}
	}
	method := k.job.Target.Method
	if method == "" {
		method = "POST"
	}
	ans, err := k.sender.Send(ctx, targets.Call{Method: method, URL: onkey.ImportURL(k.job.Target, k.job.Submit),
		ContentType: onkey.ImportContentType, Body: onkey.BatchBody(bodies), Idempotent: idempotent})
	if done, ok := failedCall(err, recs); ok {
		return done
	}
	base := RecordOutcome{HTTPStatus: ans.Status, Attempts: ans.Attempts, DurationMS: ans.Duration.Milliseconds()}
	if k.job.Submit.Async && ans.Status == http.StatusAccepted {
		return batchDone{outs: allOf(recs, k.awaitTask(ctx, ans, base))}
	}
	results := onkey.ReadImportAnswer(ans.Status, ans.Body, uoids, strings.EqualFold(k.job.Submit.Mode, "AllOrNone"))
	outs := make([]RecordOutcome, len(recs))
	for i, r := range recs {
		res := results[r.UserObjectID]
		o := base
		o.Seq, o.ServerID, o.Version = r.Seq, res.ID, res.Version
		switch res.Outcome {
		case onkey.Succeeded:
			o.Status = Succeeded
		case onkey.Failed:
			o.Status = Failed
		default:
			o.Status = Unknown
		}
		for _, n := range res.Messages {
			o.Messages = append(o.Messages, Message{Code: n.Code, Property: strings.Join(n.Properties, ", "), Text: n.Message, Severity: n.Severity})
		}
		outs[i] = o
	}
	if ans.Attempts > 1 {
		k.settleRetriedDeletes(ctx, recs, outs, ans.Attempts)
	}
	return batchDone{outs: outs}
}

// settleRetriedDeletes looks up the Deletes that failed in a batch answered only after a retry:
// an earlier attempt may have deleted them with its answer lost, and then the retry fails for
// want of the record. Those On Key no longer has succeeded. If the lookup fails, they stay failed
// with the server's message.
func (k *onKeySubmitter) settleRetriedDeletes(ctx context.Context, recs []Sendable, outs []RecordOutcome, attempts int) {
	var failed []Sendable
	at := map[string]int{}
	for i, r := range recs {
		if outs[i].Status == Failed && isDelete(r.Action) {
			failed = append(failed, r)
			at[r.UserObjectID] = i
		}
	}
	if len(failed) == 0 {
		return
	}
	found, err := lookUp(ctx, k.job, k.sender, failed)
	if err != nil {
		return
	}
	for uoid, l := range found {
		if l.gone() {
			o := &outs[at[uoid]]
			o.Status, o.Messages = Succeeded, []Message{l.deleted(fmt.Sprintf("its request was sent %d times and the last attempt failed", attempts))}
		}
	}
}

// awaitTask polls the background task of an accepted async import, with backoff, until it ends,
// and returns the outcome of its records. The documents give no per-record results for async
// imports: a task that completed every step succeeded them all; an AllOrNone task that failed
// applied none; otherwise which records failed is unknown.
func (k *onKeySubmitter) awaitTask(ctx context.Context, accepted *targets.Answer, base RecordOutcome) RecordOutcome {
	unknown := func(text string) RecordOutcome {
		o := base
		o.Status, o.Messages = Unknown, []Message{{Code: "unknown", Text: text}}
		return o
	}
	taskURL, err := onkey.TaskURL(k.job.Target.URL, accepted.Header.Get("OnKey-Request-Location"))
	if err != nil {
		return unknown("the import was accepted for a background task, but " + err.Error())
	}
	start, wait := time.Now(), 200*time.Millisecond
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return unknown("interrupted while the background task at " + taskURL + " was running")
		case <-t.C:
		}
		wait = min(wait*3/2, 5*time.Second)
		ans, err := k.sender.Send(ctx, targets.Call{Method: "GET", URL: taskURL, Idempotent: true})
		if err != nil {
			return unknown("polling the background task at " + taskURL + ": " + err.Error())
		}
		if ans.Status != http.StatusOK {
			return unknown(fmt.Sprintf("polling the background task at %s: HTTP %d: %s", taskURL, ans.Status, targets.Snippet(ans.Body)))
		}
		task, err := onkey.ReadTask(ans.Body)
		if err != nil {
			return unknown("polling the background task at " + taskURL + ": " + err.Error())
		}
		k.taskMu.Lock()
		k.task(task.ID, task.CompletedSteps+task.FailedSteps, task.TotalSteps)
		k.taskMu.Unlock()
		if !task.Done() {
			continue
		}
		o := base
		o.DurationMS = (accepted.Duration + time.Since(start)).Milliseconds()
		summary := fmt.Sprintf("background task %s ended %s: %d of %d steps completed, %d failed", task.ID, task.Status,
			task.CompletedSteps, task.TotalSteps, task.FailedSteps)
		switch {
		case task.OK():
			o.Status = Succeeded
		case strings.EqualFold(k.job.Submit.Mode, "AllOrNone"):
			o.Status, o.Messages = Failed, []Message{{Code: "RolledBack", Text: summary + "; mode=AllOrNone applies none"}}
		default:
			return unknown(summary + "; an async import does not say which records failed")
		}
		return o
	}
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
