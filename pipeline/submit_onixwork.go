package pipeline

import (
	"bytes"
	"context"
	"errors"
	"sync"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
)

// onixSubmitter sends the pending records of an Onix Work job, one call per record, parents
// first: the records without a parent (orders) are sent as they are read, and a record's
// children (its lines, a line's items and properties) as soon as that record succeeded, not
// after every record of its level. The children of a record that failed are never sent; the
// run's ResolveParents then marks them skipped.
type onixSubmitter struct {
	job      *spec.Job
	sender   *targets.Sender
	store    *Store
	progress func(sent, failed int)
	tally    *tally
	stop     <-chan struct{} // closed: send nothing more (see RunOptions.Stop)
	// storeThread is called first on the goroutines that do the store's work (RunOptions.StoreThread).
	storeThread func()
	// remapper maps a record again once its parent's result is known, from its typed row in
	// rows (by rowKey; nil for a resumed run) or the store's.
	remapper *evaluate.Remapper
	rows     map[string]*evaluate.Row
}

func (o *onixSubmitter) run(ctx context.Context) error {
	conc := o.job.Submit.Concurrency
	sendCtx, stopSending := context.WithCancel(ctx)
	defer stopSending()
	q := newReadyQueue(4 * conc)
	halt := func() { stopSending(); holdSending(o.sender) }
	writer := startOutcomeWriter(ctx, o.store, conc, o.progress, halt, o.storeThread)
	gate := &runGate{tally: o.tally, halt: halt}
	defer gate.watch(o.stop)()

	// The roots, streamed from a read connection: committed since MarkPending, unchanged by the
	// outcomes written meanwhile. Roots are the records without a parent and, when a run is
	// resumed, those whose parent succeeded before.
	feedErr := make(chan error, 1)
	go func() {
		o.storeThread()
		err := o.store.committedBodies(sendCtx, `status = 'pending' AND (parent = ''
			OR parent IN (SELECT uoid FROM records WHERE status = 'succeeded'))`, "seq", func(r Sendable) error {
			r.Body = bytes.Clone(r.Body)
			if r.Parent != "" && r.Env != nil {
				parent, err := o.store.succeededOutcome(sendCtx, r.Parent)
				if err != nil {
					return err
				}
				body, msgs := o.remap(r, r.Parent, parent)
				if msgs != nil {
					writer.write([]RecordOutcome{{Seq: r.Seq, Status: Failed, Messages: msgs}})
					return nil
				}
				r.Body = body
			}
			return q.push(sendCtx, r)
		})
		if sendCtx.Err() != nil {
			err = nil
		}
		q.rootsDone()
		feedErr <- err
	}()

	var childErr error
	var childMu sync.Mutex
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r, ok := q.pop(sendCtx)
				if !ok {
					return
				}
				if gate.stopped() {
					q.finish()
					continue // stays pending
				}
				if err := writer.markSending([]Sendable{r}); err != nil {
					q.finish()
					continue // the store failed: the writer stops the run and reports it
				}
				d := o.send(ctx, r)
				goOn := gate.record(d)
				writer.write(d.outs)
				if goOn && len(d.outs) == 1 && d.outs[0].Status == Succeeded {
					if err := o.queueChildren(sendCtx, q, writer, r.UserObjectID, d.outs[0]); err != nil && sendCtx.Err() == nil {
						childMu.Lock()
						childErr = errors.Join(childErr, err)
						childMu.Unlock()
						halt()
					}
				}
				q.finish()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(writer.close(), <-feedErr, childErr); err != nil {
		return err
	}
	if err := gate.err(); err != nil {
		return err
	}
	return ctx.Err()
}

// queueChildren queues the pending children of the record uoid, which has just succeeded with
// outcome parent. A child whose mapping reads its parent's result (parent.id) is mapped again
// with it first; if that fails, the child fails with the mapping's messages, unsent.
func (o *onixSubmitter) queueChildren(ctx context.Context, q *readyQueue, w *outcomeWriter, uoid string, parent RecordOutcome) error {
	var children []Sendable
	var unmappable []RecordOutcome
	err := o.store.committedBodies(ctx, "status = 'pending' AND parent = ?", "seq", func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		if r.Env != nil {
			body, msgs := o.remap(r, uoid, parent)
			if msgs != nil {
				unmappable = append(unmappable, RecordOutcome{Seq: r.Seq, Status: Failed, Messages: msgs})
				return nil
			}
			r.Body = body
		}
		children = append(children, r)
		return nil
	}, uoid)
	if err != nil {
		return err
	}
	w.write(unmappable)
	q.pushChildren(children)
	return nil
}

// remap maps record r again with its parent's result as parent (userObjectId, id, version),
// from the typed row the evaluation kept (o.rows) or, for a run resumed in another process, the
// row the store kept, and returns the new body, or the messages of a mapping that failed.
func (o *onixSubmitter) remap(r Sendable, parentUOID string, parent RecordOutcome) ([]byte, []Message) {
	row := o.rows[rowKey(r.Entity, r.UserObjectID)]
	if row == nil {
		var err error
		if row, err = evaluate.DecodeRow(r.Env); err != nil {
			return nil, []Message{{Code: "mapping", Text: "the stored row cannot be read: " + err.Error()}}
		}
	}
	return o.remapper.Remap(r.Entity, row, evaluate.Parent{UserObjectID: parentUOID, ServerID: parent.ServerID, Version: parent.Version})
}

// send makes one record's call and reads its outcome from the answer. Orders and order lines are
// created or updated by key (API-FACTS.md), items and properties are updates: a call may be
// repeated after an ambiguous failure.
func (o *onixSubmitter) send(ctx context.Context, r Sendable) batchDone {
	ans, err := o.sender.Send(ctx, targets.Call{Method: "POST", URL: onixwork.URL(o.job.Target.URL, r.Endpoint),
		ContentType: "application/json", Body: r.Body, Idempotent: true})
	if done, ok := failedCall(err, []Sendable{r}); ok {
		return done
	}
	out := RecordOutcome{Seq: r.Seq, HTTPStatus: ans.Status, Attempts: ans.Attempts, DurationMS: ans.Duration.Milliseconds()}
	res, err := onixwork.ReadAnswer(ans.Status, ans.Body)
	switch {
	case err != nil:
		out.Status, out.Messages = Unknown, []Message{{Code: "unknown", Text: err.Error()}}
	case res.OK:
		out.Status = Succeeded
		if res.ID != "true" {
			out.ServerID = res.ID
		}
	default:
		out.Status = Failed
		for _, p := range res.Problems {
			// The field is the message's Property, which String puts in front of the text.
			out.Messages = append(out.Messages, Message{Code: p.Code, Property: p.Field, Text: p.Message})
		}
	}
	return batchDone{outs: []RecordOutcome{out}}
}
