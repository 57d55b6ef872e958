package pipeline

import (
	"context"
	"errors"
	"sync"

	"github.com/bulkload/bulkload/targets"
)

// The machinery both targets' submitters share: a goroutine that writes outcomes to the store,
// and the gate that decides whether a run goes on.

// outcomeWriter records outcomes in the store from a goroutine of its own (the store's one writer
// while sending), so that a slow write never holds back a request. Outcomes waiting together
// are written in one transaction. It also writes the marks that records are being sent.
type outcomeWriter struct {
	ch   chan writeOp
	done chan error
}

// writeOp is one thing for the writer to do: record outcomes, or mark records as being sent
// and say when that is committed (or failed) on ack.
type writeOp struct {
	outs []RecordOutcome
	mark []int64
	ack  chan error
}

// startOutcomeWriter starts the writer. progress is told of every record written: how many got
// an outcome of a request, and how many of those failed; failed is called once if the store
// fails (the run must stop sending); storeThread is called first on the writer's goroutine
// (RunOptions.StoreThread).
func startOutcomeWriter(ctx context.Context, store *Store, buffer int, progress func(sent, failed int), failed func(), storeThread func()) *outcomeWriter {
	w := &outcomeWriter{ch: make(chan writeOp, writerSlack*buffer), done: make(chan error, 1)}
	go func() {
		storeThread()
		var err error
		check := func(e error) {
			if e != nil && err == nil {
				err = e
				failed()
			}
		}
		for op := range w.ch {
			// Take what is waiting, up to a transaction's worth of outcomes. The marks go first,
			// all in one commit (one fsync): their senders wait for them. An outcome is never
			// of a record whose mark is in the same take, since its request left after the
			// mark was committed.
			var outs []RecordOutcome
			var marks []int64
			var acks []chan error
			for {
				outs = append(outs, op.outs...)
				if op.ack != nil {
					marks, acks = append(marks, op.mark...), append(acks, op.ack)
				}
				if len(outs) >= writerBatch || len(w.ch) == 0 {
					break
				}
				op = <-w.ch
			}
			if len(acks) > 0 {
				if err == nil {
					check(store.MarkSending(ctx, marks))
				}
				for _, ack := range acks {
					ack <- err // after a failure the writer only drains: the senders must not block
				}
			}
			if err == nil && len(outs) > 0 {
				if check(store.SetOutcomes(ctx, outs)); err == nil {
					progress(countSent(outs))
				}
			}
		}
		w.done <- err
	}()
	return w
}

// countSent is how many of outs are outcomes of a request, not records put back to pending, and
// how many of those are failures.
func countSent(outs []RecordOutcome) (sent, failed int) {
	for _, o := range outs {
		if o.Status != Pending {
			sent++
		}
		if o.Status == Failed {
			failed++
		}
	}
	return sent, failed
}

// writerSlack times the senders' number of answers can wait for the writer before a sender has
// to: a sender that waits for the store leaves its slot empty. Answers that wait together are
// written together, up to writerBatch outcomes a transaction.
const (
	writerSlack = 4
	writerBatch = 10 * outcomeRows
)

// write hands outcomes to the writer.
func (w *outcomeWriter) write(outs []RecordOutcome) {
	if len(outs) > 0 {
		w.ch <- writeOp{outs: outs}
	}
}

// markSending has the records marked as being sent and returns once the mark is committed (and
// on disk): only then may their request leave. Marks waiting together share one commit.
func (w *outcomeWriter) markSending(recs []Sendable) error {
	seqs := make([]int64, len(recs))
	for i, r := range recs {
		seqs[i] = r.Seq
	}
	ack := make(chan error, 1)
	w.ch <- writeOp{mark: seqs, ack: ack}
	return <-ack
}

// unsent puts records marked as being sent, whose request never left, back to pending.
func (w *outcomeWriter) unsent(recs []Sendable) {
	w.write(allOf(recs, RecordOutcome{Status: Pending}))
}

// close waits for every outcome handed over to be written and returns the store's error, if any.
func (w *outcomeWriter) close() error {
	close(w.ch)
	return <-w.done
}

// runGate decides, for every answer, whether the run goes on: it stops at the first stop
// condition (credentials refused, target unreachable) or once max_errors records failed. It is
// safe for concurrent use; halt is called once, when the run stops.
type runGate struct {
	mu    sync.Mutex
	stop  error
	tally *tally
	halt  func()
}

// stopped reports whether the run has stopped: no request may leave.
func (g *runGate) stopped() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stop != nil
}

// record counts an answer's outcomes and reports whether the run goes on.
func (g *runGate) record(d batchDone) bool {
	g.mu.Lock()
	first := g.stop == nil
	if g.stop == nil {
		g.stop = d.stop
	}
	if g.stop == nil {
		g.stop = g.tally.add(d.outs)
	}
	halted := g.stop != nil
	g.mu.Unlock()
	if halted && first {
		g.halt()
	}
	return !halted
}

// Interrupted is why a run stopped when RunOptions.Stop was closed.
var Interrupted = &AbortError{Reason: "interrupted: no request was sent after that, the requests in flight finished"}

// watch stops the run with Interrupted when stop is closed, until the returned func is called.
func (g *runGate) watch(stop <-chan struct{}) (unwatch func()) {
	done := make(chan struct{})
	go func() {
		select {
		case <-stop:
			g.mu.Lock()
			first := g.stop == nil
			if first {
				g.stop = Interrupted
			}
			g.mu.Unlock()
			if first {
				g.halt()
			}
		case <-done:
		}
	}()
	return func() { close(done) }
}

// err is why the run stopped, or nil.
func (g *runGate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stop
}

// failedCall turns the error of a call carrying recs into their outcome, and reports whether
// there was one: a call that may have reached the target leaves them unknown; an unreachable
// target or refused credentials stop the run (they go back to pending, never having reached
// it), and so does a redirect, which is never followed; a call held back because the run had
// stopped (targets.ErrClosed) puts them back to pending; an interrupted call leaves them as marked
// before it left (unknown: it may have landed).
func failedCall(err error, recs []Sendable) (batchDone, bool) {
	var te *targets.TransportError
	switch {
	case err == nil:
		return batchDone{}, false
	case errors.Is(err, targets.ErrClosed):
		// Held back once the run had stopped: never sent.
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Pending})}, true
	case errors.As(err, &te) && te.Ambiguous:
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Unknown, Attempts: te.Attempts,
			Messages: []Message{{Code: "unknown", Text: err.Error()}}})}, true
	case errors.As(err, &te):
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Pending}), stop: &AbortError{Reason: "the target cannot be reached: " + err.Error()}}, true
	case targets.IsAuth(err), targets.IsRedirect(err):
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Pending}), stop: &AbortError{Reason: err.Error()}}, true
	}
	return batchDone{}, true // interrupted
}
