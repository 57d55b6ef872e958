package submit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// holdingSender holds each call until conc calls are in flight together (or 300 ms passed: the last calls of a pass have fewer beside them),
// and records the most it saw.
type holdingSender struct {
	mu       sync.Mutex
	cond     *sync.Cond
	conc     int
	inFlight int
	most     int
}

func (h *holdingSender) Send(context.Context, targets.Call) (*targets.Answer, error) {
	h.mu.Lock()
	h.inFlight++
	h.most = max(h.most, h.inFlight)
	h.cond.Broadcast()
	deadline := time.AfterFunc(300*time.Millisecond, func() { h.mu.Lock(); h.cond.Broadcast(); h.mu.Unlock() })
	start := time.Now()
	for h.inFlight < h.conc && time.Since(start) < 300*time.Millisecond {
		h.cond.Wait()
	}
	deadline.Stop()
	h.inFlight--
	h.mu.Unlock()
	return &targets.Answer{Status: 200, Attempts: 1}, nil
}

// Concurrency senders keep that many requests in flight at once, in both shapes of pass.
func TestSendKeepsConcurrencyInFlight(t *testing.T) {
	for _, parentsFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("parentsFirst=%v", parentsFirst), func(t *testing.T) {
			var roots []record.Entry
			for q := int64(1); q <= 40; q++ {
				roots = append(roots, rec(q, ""))
			}
			store, target := newFakes(roots)
			h := &holdingSender{conc: 4}
			h.cond = sync.NewCond(&h.mu)
			if err := Send(t.Context(), target, h, store, Options{BatchSize: 2, Concurrency: 4, ParentsFirst: parentsFirst}); err != nil {
				t.Fatal(err)
			}
			if h.most != 4 {
				t.Errorf("at most %d requests in flight together, want 4", h.most)
			}
			if got := len(store.results); got != 40 {
				t.Errorf("%d results recorded, want 40", got)
			}
		})
	}
}
