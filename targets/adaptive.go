package targets

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
)

// Adaptive limits the requests in flight to a target and follows the target's pace (AIMD):
//
//   - it starts at its maximum, the configured concurrency;
//   - an answer 429 or 503 halves the limit (never below 1), once per overload: the answers of
//     requests let through before a halving do not halve it again;
//   - such an answer's Retry-After holds every request back: none is let through Acquire until
//     it has passed, counted from when the answer came;
//   - a window of clean answers (as many as the current limit, about one round of the requests in
//     flight) since the last change raises the limit by one, never above the maximum; the
//     answers of requests let through before the last halving do not count;
//   - other 5xx answers and calls that got no answer change nothing (neither clean nor throttled).
//
// A clean answer is any status but 429 and 5xx. Every method is safe for concurrent use.
type Adaptive struct {
	max   int
	clock Clock
	// onChange, if not nil, is called with the new limit each time it changes, with the
	// Adaptive's lock held: it must be quick and must not call the Adaptive.
	onChange func(limit int)

	mu        sync.Mutex
	limit     int
	lowest    int
	inFlight  int
	clean     int       // clean answers since the last change of the limit
	epoch     uint64    // the number of halvings so far
	until     time.Time // no request is let through before (Retry-After)
	throttled int       // 429 and 503 answers
	closed    bool
	wake      chan struct{} // closed, and replaced, whenever a waiter may go on
}

// ErrClosed is returned by Acquire once the Adaptive is closed: the run has stopped sending, and
// the request was not sent.
var ErrClosed = errors.New("sending has stopped: the request was not sent")

// Clock is the Adaptive's time: Now, and a channel that receives once d has passed.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Ticket is a request let through by Acquire; hand it back to Release once its answer came.
type Ticket struct{ epoch uint64 }

// AdaptiveStats is what an Adaptive did: its maximum (the configured concurrency), the lowest
// and the current limit, and the answers 429 or 503 it saw.
type AdaptiveStats struct {
	Configured int
	Lowest     int
	Final      int
	Throttled  int
}

// NewAdaptive is a limiter of at most most requests in flight (at least 1), on clock (nil: the
// real one). onChange, if not nil, is told each new limit (see Adaptive).
func NewAdaptive(most int, clock Clock, onChange func(limit int)) *Adaptive {
	most = max(most, 1)
	if clock == nil {
		clock = realClock{}
	}
	return &Adaptive{max: most, clock: clock, onChange: onChange, limit: most, lowest: most, wake: make(chan struct{})}
}

// Acquire waits until a request may leave: fewer than the limit in flight and no Retry-After
// pending. It returns ctx's error if ctx ends first, and ErrClosed once Close was called.
func (a *Adaptive) Acquire(ctx context.Context) (Ticket, error) {
	for {
		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			return Ticket{}, ErrClosed
		}
		wait := a.until.Sub(a.clock.Now())
		if wait <= 0 && a.inFlight < a.limit {
			a.inFlight++
			t := Ticket{epoch: a.epoch}
			a.mu.Unlock()
			return t, nil
		}
		wake := a.wake
		a.mu.Unlock()
		var passed <-chan time.Time
		if wait > 0 {
			passed = a.clock.After(wait)
		}
		select {
		case <-ctx.Done():
			return Ticket{}, ctx.Err()
		case <-wake:
		case <-passed:
		}
	}
}

// Release hands back t, with the status of its answer (0: no answer came) and the answer's
// Retry-After (0: none), and adapts the limit to it.
func (a *Adaptive) Release(t Ticket, status int, retryAfter time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlight--
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		a.throttled++
		a.clean = 0
		if retryAfter > 0 {
			if until := a.clock.Now().Add(retryAfter); until.After(a.until) {
				a.until = until
			}
		}
		if t.epoch == a.epoch {
			a.epoch++
			a.setLimit(max(a.limit/2, 1))
		}
	case status == 0 || status >= 500:
		// Says nothing of the target's pace.
	case t.epoch != a.epoch:
		// Let through before the last halving: it says nothing of the new limit.
	default:
		if a.clean++; a.clean >= a.limit && a.limit < a.max {
			a.setLimit(a.limit + 1)
		}
	}
	a.signal()
}

// setLimit changes the limit, with a.mu held.
func (a *Adaptive) setLimit(n int) {
	a.clean = 0
	if n == a.limit {
		return
	}
	a.limit = n
	a.lowest = min(a.lowest, n)
	if a.onChange != nil {
		a.onChange(n)
	}
}

// signal wakes every waiter to look again, with a.mu held.
func (a *Adaptive) signal() {
	close(a.wake)
	a.wake = make(chan struct{})
}

// Close makes every Acquire, waiting or to come, return ErrClosed. Requests in flight may still
// be released.
func (a *Adaptive) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.closed {
		a.closed = true
		a.signal()
	}
}

// Limit is the current limit.
func (a *Adaptive) Limit() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.limit
}

// InFlight is the number of requests let through and not yet released.
func (a *Adaptive) InFlight() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.inFlight
}

// Stats says what the Adaptive did so far.
func (a *Adaptive) Stats() AdaptiveStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return AdaptiveStats{Configured: a.max, Lowest: a.lowest, Final: a.limit, Throttled: a.throttled}
}
