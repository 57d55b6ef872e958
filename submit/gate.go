package submit

import (
	"errors"
	"fmt"
	"sync"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// AbortError stops a run before its end: the records not sent stay pending.
type AbortError struct{ Reason string }

func (e *AbortError) Error() string { return "aborted: " + e.Reason }

// Interrupted is why a run stopped when its Stop channel was closed.
var Interrupted = &AbortError{Reason: "interrupted: no request was sent after that, the requests in flight finished"}

// Tally counts failed records against a limit, and each request's results against the breaker.
// It is not safe for concurrent use (the gate serialises it); one Tally may serve several passes
// of a run.
type Tally struct {
	max     int
	failed  int
	breaker *breaker
}

// NewTally is the count of a run that stops once maxErrors records failed (0: never) and, when
// breaker is on, when its first requests all fail the same way.
func NewTally(maxErrors int, breaker bool) *Tally {
	return &Tally{max: maxErrors, breaker: newBreaker(breaker)}
}

// add counts the results of one request and returns an *AbortError once max records (max > 0)
// have failed, or when the breaker trips.
func (t *Tally) add(outs []record.Result) error {
	for _, o := range outs {
		if o.Status == record.Failed {
			t.failed++
		}
	}
	if t.max > 0 && t.failed >= t.max {
		return &AbortError{Reason: fmt.Sprintf("%d records failed, the limit is %d (submit.max_errors or --max-errors)", t.failed, t.max)}
	}
	return t.breaker.observe(outs)
}

// done is one request's results: one per record, and why the run must stop, if it must.
type done struct {
	outs []record.Result
	stop error // credentials refused, target unreachable
}

// gate decides, for every answer, whether the run goes on: it stops at the first stop condition
// (credentials refused, target unreachable) or when the tally says so. It is safe for concurrent
// use; halt is called once, when the run stops.
type gate struct {
	mu    sync.Mutex
	stop  error
	tally *Tally
	halt  func()
}

// stopped reports whether the run has stopped: no request may leave.
func (g *gate) stopped() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stop != nil
}

// record counts an answer's results and reports whether the run goes on.
func (g *gate) record(d done) bool {
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

// watch stops the run with Interrupted when stop is closed, until the returned func is called.
// A stop closed already stops the run before watch returns.
func (g *gate) watch(stop <-chan struct{}) (unwatch func()) {
	interrupt := func() {
		g.mu.Lock()
		first := g.stop == nil
		if first {
			g.stop = Interrupted
		}
		g.mu.Unlock()
		if first {
			g.halt()
		}
	}
	select {
	case <-stop:
		interrupt()
		return func() {}
	default:
	}
	quit := make(chan struct{})
	go func() {
		select {
		case <-stop:
			interrupt()
		case <-quit:
		}
	}()
	return func() { close(quit) }
}

// err is why the run stopped, or nil.
func (g *gate) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stop
}

// failedCall turns the error of a call carrying batch into its results, and reports whether
// there was one: a call that may have reached the target leaves them unknown; an unreachable
// target or refused credentials stop the run (they go back to pending, never having reached
// it), and so does a redirect, which is never followed; a call held back because the run had
// stopped (targets.ErrClosed) puts them back to pending; an interrupted call leaves them as
// marked before it left (unknown: it may have landed).
func failedCall(err error, batch []record.Entry) (done, bool) {
	var te *targets.TransportError
	switch {
	case err == nil:
		return done{}, false
	case errors.Is(err, targets.ErrClosed):
		return done{outs: allOf(batch, record.Result{Status: record.Pending})}, true
	case errors.As(err, &te) && te.Ambiguous:
		return done{outs: allOf(batch, record.Result{Status: record.Unknown, Outcome: record.Outcome{Attempts: te.Attempts},
			Messages: []record.Message{{Code: "unknown", Text: err.Error()}}})}, true
	case errors.As(err, &te):
		return done{outs: allOf(batch, record.Result{Status: record.Pending}), stop: &AbortError{Reason: "the target cannot be reached: " + err.Error()}}, true
	case targets.IsAuth(err), targets.IsRedirect(err):
		return done{outs: allOf(batch, record.Result{Status: record.Pending}), stop: &AbortError{Reason: err.Error()}}, true
	}
	return done{}, true // interrupted
}

// allOf gives every record of batch the same result.
func allOf(batch []record.Entry, r record.Result) []record.Result {
	outs := make([]record.Result, len(batch))
	for i, e := range batch {
		outs[i] = r
		outs[i].Seq = e.Seq
	}
	return outs
}
