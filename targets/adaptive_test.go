package targets

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

// advance moves the clock by d and fires the waiters that are due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// tryAcquire is Acquire that does not wait: a done context lets through only what may leave now.
func tryAcquire(a *Adaptive) (Ticket, bool) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	t, err := a.Acquire(ctx)
	return t, err == nil
}

// adaptiveStep is one step of a script: take tickets, release the oldest ones with statuses,
// move the clock, then check the limit.
type adaptiveStep struct {
	acquire    int           // tickets to take, each of which must be let through at once
	refused    bool          // then one more must be refused
	release    []int         // statuses to release the oldest tickets with (0: no answer)
	retryAfter time.Duration // the Retry-After of each released answer
	advance    time.Duration
	limit      int // the limit wanted after the step
}

func TestAdaptive(t *testing.T) {
	clean := func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = 200
		}
		return s
	}
	tests := []struct {
		name  string
		max   int
		steps []adaptiveStep
	}{
		{"starts at the configured value", 8, []adaptiveStep{{acquire: 8, refused: true, limit: 8}}},
		{"a configured value below 1 is 1", 0, []adaptiveStep{{acquire: 1, refused: true, limit: 1}}},
		{"429 halves the limit, once for the requests that were in flight together", 8, []adaptiveStep{
			{acquire: 8, release: []int{429, 429, 429}, limit: 4},
			{refused: true, limit: 4}, // 5 still in flight, above the new limit
			{release: []int{200}, refused: true, limit: 4},
			{release: []int{200, 200}},
			{acquire: 2, refused: true, limit: 4},
		}},
		{"503 halves it too", 6, []adaptiveStep{{acquire: 6, release: []int{503}, limit: 3}}},
		{"each new overload halves again, never below 1", 5, []adaptiveStep{
			{acquire: 5, release: []int{429, 200, 200, 200, 200}, limit: 2},
			{acquire: 1, release: []int{429}, limit: 1},
			{acquire: 1, release: []int{429}, limit: 1},
			{acquire: 1, refused: true, release: []int{503}, limit: 1},
		}},
		{"grows one step per window of clean answers, never above the configured value", 4, []adaptiveStep{
			{acquire: 4, release: []int{429, 429, 200, 200}, limit: 2},
			{acquire: 2, release: []int{200}, limit: 2},
			{release: []int{200}, limit: 3},
			{acquire: 3, release: clean(2), limit: 3},
			{release: clean(1), limit: 4},
			{acquire: 4, refused: true, release: clean(4), limit: 4},
			{acquire: 4, refused: true, release: clean(4), limit: 4},
		}},
		{"other 5xx and calls with no answer are neither clean nor throttled", 4, []adaptiveStep{
			{acquire: 4, release: []int{429, 200, 200, 200}, limit: 2}, // the 200s of the old window do not count
			{acquire: 2, release: []int{200, 500}, limit: 2},
			{acquire: 2, release: []int{0, 502}, limit: 2},
			{acquire: 2, release: []int{504, 200}, limit: 3},
		}},
		{"the window counts the clean answers since the last change", 8, []adaptiveStep{
			{acquire: 8, release: append([]int{429}, clean(7)...), limit: 4}, // sent before the halving
			{acquire: 4, release: clean(3), limit: 4},
			{release: clean(1), limit: 5},
			{acquire: 5, release: clean(4), limit: 5},
			{release: clean(1), limit: 6},
		}},
		{"Retry-After holds every request back until it has passed", 4, []adaptiveStep{
			{acquire: 2, release: []int{429}, retryAfter: 2 * time.Second, limit: 2},
			{refused: true, advance: 1999 * time.Millisecond},
			{refused: true, advance: time.Millisecond},
			{acquire: 1, refused: true, limit: 2}, // one in flight from before, one now
		}},
		{"a later Retry-After extends the hold, an earlier one does not shorten it", 4, []adaptiveStep{
			{acquire: 3, release: []int{429}, retryAfter: time.Second, limit: 2},
			{release: []int{429}, retryAfter: 3 * time.Second, limit: 2}, // in flight before: no second halving
			{release: []int{503}, retryAfter: time.Second, advance: 2 * time.Second, limit: 2},
			{refused: true, advance: time.Second},
			{acquire: 2, refused: true, limit: 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			var changes []int
			a := NewAdaptive(tt.max, clock, func(n int) { changes = append(changes, n) })
			var held []Ticket
			want := []int{}
			last := max(tt.max, 1)
			for i, s := range tt.steps {
				for range s.acquire {
					tk, ok := tryAcquire(a)
					if !ok {
						t.Fatalf("step %d: refused with %d in flight, limit %d", i, a.InFlight(), a.Limit())
					}
					held = append(held, tk)
				}
				if s.refused {
					if _, ok := tryAcquire(a); ok {
						t.Fatalf("step %d: let through with %d in flight, limit %d", i, a.InFlight()-1, a.Limit())
					}
				}
				for _, status := range s.release {
					a.Release(held[0], status, s.retryAfter)
					held = held[1:]
				}
				clock.advance(s.advance)
				if s.limit != 0 {
					if got := a.Limit(); got != s.limit {
						t.Fatalf("step %d: limit %d, want %d", i, got, s.limit)
					}
					if s.limit != last {
						want = append(want, s.limit)
						last = s.limit
					}
				}
				if a.InFlight() != len(held) {
					t.Fatalf("step %d: %d in flight, want %d", i, a.InFlight(), len(held))
				}
			}
			if len(changes) != len(want) || (len(want) > 0 && !equalInts(changes, want)) {
				t.Errorf("told of limits %v, want %v", changes, want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// A waiting Acquire goes on when a slot is released, when the Retry-After has passed, and
// returns ErrClosed on Close and ctx's error when ctx ends.
func TestAdaptiveWaiting(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(a *Adaptive, held []Ticket)
		unblock func(a *Adaptive, clock *fakeClock, held []Ticket, cancel func())
		wantErr error
	}{
		{name: "a slot released", unblock: func(a *Adaptive, _ *fakeClock, held []Ticket, _ func()) { a.Release(held[0], 200, 0) }},
		{name: "the Retry-After passed",
			setup:   func(a *Adaptive, held []Ticket) { a.Release(held[0], 429, 5*time.Second); a.Release(held[1], 200, 0) },
			unblock: func(_ *Adaptive, clock *fakeClock, _ []Ticket, _ func()) { clock.advance(5 * time.Second) }},
		{name: "closed", unblock: func(a *Adaptive, _ *fakeClock, _ []Ticket, _ func()) { a.Close() }, wantErr: ErrClosed},
		{name: "ctx done", unblock: func(_ *Adaptive, _ *fakeClock, _ []Ticket, cancel func()) { cancel() }, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			a := NewAdaptive(2, clock, nil)
			var held []Ticket
			for range 2 {
				tk, _ := tryAcquire(a)
				held = append(held, tk)
			}
			if tt.setup != nil {
				tt.setup(a, held)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := a.Acquire(ctx)
				done <- err
			}()
			select {
			case err := <-done:
				t.Fatalf("Acquire returned %v before anything changed", err)
			case <-time.After(50 * time.Millisecond):
			}
			tt.unblock(a, clock, held, cancel)
			select {
			case err := <-done:
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Errorf("Acquire: %v, want %v", err, tt.wantErr)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Acquire still waiting")
			}
		})
	}
}

// Many goroutines with random answers: never more in flight than the limit, the limit never
// above the configured value nor below 1, and every ticket released.
func TestAdaptiveConcurrentUse(t *testing.T) {
	const workers, calls, most = 40, 300, 16
	var over atomic.Int64
	var inFlight atomic.Int64
	a := NewAdaptive(most, nil, func(n int) {
		if n < 1 || n > most {
			over.Add(1)
		}
	})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range calls {
				tk, err := a.Acquire(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				if n := inFlight.Add(1); n > int64(most) {
					over.Add(1)
				}
				status := []int{200, 200, 200, 200, 429, 503, 500, 0}[r.IntN(8)]
				inFlight.Add(-1)
				a.Release(tk, status, 0)
			}
		})
	}
	wg.Wait()
	st := a.Stats()
	if over.Load() > 0 || st.Lowest < 1 || st.Final > most || a.InFlight() != 0 {
		t.Errorf("%d violations, stats %+v, %d in flight", over.Load(), st, a.InFlight())
	}
	if st.Throttled == 0 || st.Lowest == most {
		t.Errorf("stats %+v: the 429s and 503s did not lower the limit", st)
	}
}
