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
// are written in one transaction.
type outcomeWriter struct {
	ch   chan []RecordOutcome
	done chan error
}

// startOutcomeWriter starts the writer. progress is told of every record written; failed is
// called once if the store fails (the run must stop sending).
func startOutcomeWriter(ctx context.Context, store *Store, buffer int, progress func(int), failed func()) *outcomeWriter {
	w := &outcomeWriter{ch: make(chan []RecordOutcome, buffer), done: make(chan error, 1)}
	go func() {
		var err error
		for outs := range w.ch {
		more: // take what else is waiting, up to a transaction's worth
			for len(outs) < outcomeRows {
				select {
				case o, ok := <-w.ch:
					if !ok {
						break more
					}
					outs = append(outs, o...)
				default:
					break more
				}
			}
			if err != nil {
				continue // drain: the senders must not block
			}
			if err = store.SetOutcomes(ctx, outs); err != nil {
				failed()
				continue
			}
			progress(len(outs))
		}
		w.done <- err
	}()
	return w
}

// write hands outcomes to the writer.
func (w *outcomeWriter) write(outs []RecordOutcome) {
	if len(outs) > 0 {
		w.ch <- outs
	}
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

// err is why the run stopped, or nil.
func (g *runGate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stop
}

// failedCall turns the error of a call carrying recs into their outcome, and reports whether
// there was one: a call that may have reached the target leaves them unknown; an unreachable
// target or refused credentials stop the run (they stay pending); an interrupted call leaves
// them pending.
func failedCall(err error, recs []Sendable) (batchDone, bool) {
	var te *targets.TransportError
	switch {
	case err == nil:
		return batchDone{}, false
	case errors.As(err, &te) && te.Ambiguous:
		return batchDone{outs: allOf(recs, RecordOutcome{Status: Unknown, Attempts: te.Attempts,
			Messages: []Message{{Code: "unknown", Text: err.Error()}}})}, true
	case errors.As(err, &te):
		return batchDone{stop: &AbortError{Reason: "the target cannot be reached: " + err.Error()}}, true
	case targets.IsAuth(err):
		return batchDone{stop: &AbortError{Reason: err.Error()}}, true
	}
	return batchDone{}, true // interrupted
}
