package submit

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
)

// A success's children go ahead of every root not yet marked: with one sender (one request
// marked ahead), r1's children leave before the fifth call, though nine roots wait behind r1.
func TestSendChildrenBeforeRoots(t *testing.T) {
	var roots []record.Entry
	for q := int64(1); q <= 10; q++ {
		roots = append(roots, rec(q, ""))
	}
	store, target := newFakes(roots)
	store.children["r1"] = []record.Entry{rec(11, "r1"), rec(12, "r1")}
	if err := Send(t.Context(), target, target, store, Options{Concurrency: 1, ParentsFirst: true}); err != nil {
		t.Fatal(err)
	}
	if len(target.calls) != 12 {
		t.Fatalf("%d calls, want 12: %v", len(target.calls), target.calls)
	}
	// r1, r2 (marked ahead while r1 was out), perhaps r3 (marked before r1's children were
	// read), then r11 and r12.
	for _, child := range []string{"r11", "r12"} {
		if i := slices.Index(target.calls, child); i < 1 || i > 4 {
			t.Errorf("%s was call %d of %v, want the second to the fifth", child, i+1, target.calls)
		}
	}
	if len(target.unmark) > 0 || len(target.early) > 0 {
		t.Errorf("sent before their mark: %v; before their parent's success was recorded: %v", target.unmark, target.early)
	}
}

// A Ready that fails stops the pass with the store's error: no child of it leaves, nothing is
// sent after, and no record stays marked without a result.
func TestSendReadyFails(t *testing.T) {
	var roots []record.Entry
	for q := int64(1); q <= 30; q++ {
		roots = append(roots, rec(q, ""))
	}
	store, target := newFakes(roots)
	store.children["r1"] = []record.Entry{rec(31, "r1")}
	store.failReady = errors.New("disk I/O error")
	target.err = func(string) error { time.Sleep(10 * time.Millisecond); return nil } // 30 calls: 150 ms
	err := Send(t.Context(), target, target, store, Options{Concurrency: 2, ParentsFirst: true})
	if err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Fatalf("Send: %v, want the store's error", err)
	}
	if slices.Contains(target.calls, "r31") {
		t.Error("a child of a record whose Ready failed was sent")
	}
	// The first answer's Ready stops the pass: what was in flight and marked ahead may leave
	// while it fails, not the 30 roots.
	if len(target.calls) > 10 {
		t.Errorf("%d calls, want at most 10: %v", len(target.calls), target.calls)
	}
	if len(store.marked) > 0 {
		t.Errorf("%d records are left marked as being sent without a result", len(store.marked))
	}
}
