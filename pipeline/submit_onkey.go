package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
	progress func(records int)
	tally    *tally
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
		if err := k.sendGroup(ctx, g); err != nil {
			return err
		}
	}
	_, err = k.store.ResolveParents(ctx)
	return err
}

// sendGroup sends every pending record of group g and records the outcomes as they arrive. It
// stops handing out batches at the first stop condition; the batches in flight still finish.
func (k *onKeySubmitter) sendGroup(ctx context.Context, g int) error {
	size, conc := k.job.Submit.BatchSize, k.job.Submit.Concurrency
	work := make(chan []Sendable)
	done := make(chan batchDone, conc)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for recs := range work {
				done <- k.send(ctx, recs)
			}
		}()
	}
	defer func() { close(work); wg.Wait() }()

	var after int64
	inflight, exhausted := 0, false
	var stop error
	for {
		for !exhausted && stop == nil && inflight < conc && ctx.Err() == nil {
			recs, err := k.store.NextPending(ctx, g, after, size)
			if err != nil {
				return err
			}
			if len(recs) == 0 {
				exhausted = true
				break
			}
			after = recs[len(recs)-1].Seq
			work <- recs
			inflight++
		}
		if inflight == 0 {
			break
		}
		d := <-done
		inflight--
		if err := k.store.SetOutcomes(ctx, d.outs); err != nil {
			return err
		}
		k.progress(len(d.outs))
		if stop == nil {
			stop = d.stop
		}
		if stop == nil {
			stop = k.tally.add(d.outs)
		}
	}
	if stop == nil {
		stop = ctx.Err()
	}
	return stop
}

// send makes one import request of recs and reads every record's outcome from the answer.
func (k *onKeySubmitter) send(ctx context.Context, recs []Sendable) batchDone {
	bodies := make([]json.RawMessage, len(recs))
	uoids := make([]string, len(recs))
	idempotent := true
	for i, r := range recs {
		bodies[i], uoids[i] = r.Body, r.UOID
		if strings.EqualFold(r.Action, "Create") || strings.EqualFold(r.Action, "Insert") {
			idempotent = false
		}
	}
	method := k.job.Target.Method
	if method == "" {
		method = "POST"
	}
	ans, err := k.sender.Send(ctx, targets.Call{Method: method, URL: onkey.ImportURL(k.job.Target, k.job.Submit),
		ContentType: onkey.ImportContentType, Body: onkey.BatchBody(bodies), Idempotent: idempotent})
	var te *targets.TransportError
	switch {
	case err == nil:
	case errors.As(err, &te) && te.Ambiguous:
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Unknown, Attempts: te.Attempts,
			Messages: []Message{{Code: "unknown", Text: err.Error()}}})}
	case errors.As(err, &te):
		return batchDone{stop: &AbortError{Reason: "the target cannot be reached: " + err.Error()}}
	case targets.IsAuth(err):
		return batchDone{stop: &AbortError{Reason: err.Error()}}
	default: // interrupted: the records stay pending
		return batchDone{}
	}
	base := RecordOutcome{HTTPStatus: ans.Status, Attempts: ans.Attempts, DurationMS: ans.Duration.Milliseconds()}
	results, err := onkey.ReadImportAnswer(ans.Status, ans.Body, uoids, strings.EqualFold(k.job.Submit.Mode, "AllOrNone"))
	if err != nil {
		base.Status, base.Messages = Unknown, []Message{{Code: "unknown", Text: fmt.Sprintf("HTTP %d, but %v", ans.Status, err)}}
		return batchDone{outs: allOf(recs, base)}
	}
	outs := make([]RecordOutcome, len(recs))
	for i, r := range recs {
		res := results[r.UOID]
		o := base
		o.Seq, o.ServerID, o.Version, o.Status = r.Seq, res.ID, res.Version, Succeeded
		if !res.OK {
			o.Status = Failed
		}
		for _, n := range res.Messages {
			o.Messages = append(o.Messages, Message{Code: n.Code, Property: strings.Join(n.Properties, ", "), Text: n.Message, Severity: n.Severity})
		}
		outs[i] = o
	}
	return batchDone{outs: outs}
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

// tally counts failed records against submit.max_errors.
type tally struct {
	max    int
	failed int
}

// add counts outs and returns an *AbortError once max records (max > 0) have failed.
func (t *tally) add(outs []RecordOutcome) error {
	for _, o := range outs {
		if o.Status == Failed {
			t.failed++
		}
	}
	if t.max > 0 && t.failed >= t.max {
		return &AbortError{Reason: fmt.Sprintf("%d records failed, the limit is %d (submit.max_errors or --max-errors)", t.failed, t.max)}
	}
	return nil
}
