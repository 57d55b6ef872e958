package submit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// fakeStore holds records by seq: the roots Next gives, children by parent userObjectId, and
// what was written: marks and results, in order.
type fakeStore struct {
	mu        sync.Mutex
	roots     []record.Entry
	children  map[string][]record.Entry
	marked    map[int64]bool
	results   map[int64]record.Result // the last written per record
	failMark  error
	failReady error
}

func (s *fakeStore) Next(ctx context.Context, yield func(record.Entry) error) error {
	for _, e := range s.roots {
		if err := yield(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeStore) Ready(_ context.Context, parents []record.Entry, results []record.Result) ([]record.Entry, error) {
	if s.failReady != nil {
		return nil, s.failReady
	}
	var children []record.Entry
	for i, parent := range parents {
		if results[i].Status != record.Succeeded || results[i].Seq != parent.Seq {
			return nil, fmt.Errorf("Ready of %s with the result of %d, %s", parent.UserObjectID, results[i].Seq, results[i].Status)
		}
		children = append(children, s.children[parent.UserObjectID]...)
	}
	return children, nil
}

func (s *fakeStore) MarkSending(_ context.Context, seqs []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failMark != nil {
		return s.failMark
	}
	for _, q := range seqs {
		s.marked[q] = true
	}
	return nil
}

func (s *fakeStore) SetOutcomes(_ context.Context, outs []record.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range outs {
		delete(s.marked, o.Seq)
		s.results[o.Seq] = o
	}
	return nil
}

// parentRecorded reports whether the record uoid has no parent, or a parent whose success
// is recorded.
func (s *fakeStore) parentRecorded(uoid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for parent, cs := range s.children {
		for _, c := range cs {
			if c.UserObjectID == uoid {
				return s.results[seqOf(parent)].Status == record.Succeeded
			}
		}
	}
	return true
}

func (s *fakeStore) isMarked(seq int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.marked[seq]
}

// statuses renders what the store holds: "1 succeeded, 2 failed, 3 -" (- nothing recorded).
func (s *fakeStore) statuses(n int) string {
	var parts []string
	for q := int64(1); q <= int64(n); q++ {
		st := "-"
		if r, ok := s.results[q]; ok {
			st = string(r.Status)
		}
		parts = append(parts, fmt.Sprintf("%d %s", q, st))
	}
	return strings.Join(parts, ", ")
}

// fakeTarget builds a call whose body names its records and reads every answer as outcome
// says (by userObjectId); sender answers 200 or fails with err for the records fail names.
type fakeTarget struct {
	mu      sync.Mutex
	store   *fakeStore
	calls   []string // the userObjectIds of each call, in the order they left
	outcome func(uoid string) record.Status
	err     func(uoid string) error
	unmark  []string // records sent before their mark was committed
	early   []string // records sent before their parent's success was recorded
}

func (f *fakeTarget) Call(batch []record.Entry) targets.Call {
	var ids []string
	for _, e := range batch {
		ids = append(ids, e.UserObjectID)
	}
	return targets.Call{Method: "POST", URL: "fake:", Body: []byte(strings.Join(ids, " "))}
}

func (f *fakeTarget) Read(_ context.Context, ans *targets.Answer, batch []record.Entry) []record.Result {
	outs := make([]record.Result, len(batch))
	for i, e := range batch {
		outs[i] = record.Result{Seq: e.Seq, Status: f.outcome(e.UserObjectID), Outcome: record.Outcome{HTTPStatus: ans.Status}}
		if outs[i].Status == record.Failed {
			outs[i].HTTPStatus, outs[i].Messages = 400, []record.Message{{Code: "Core_X", Text: "refused"}}
		}
	}
	return outs
}

func (f *fakeTarget) Send(_ context.Context, c targets.Call) (*targets.Answer, error) {
	ids := strings.Fields(string(c.Body))
	f.mu.Lock()
	f.calls = append(f.calls, string(c.Body))
	for _, id := range ids {
		if !f.store.isMarked(seqOf(id)) {
			f.unmark = append(f.unmark, id)
		}
		if !f.store.parentRecorded(id) {
			f.early = append(f.early, id)
		}
	}
	f.mu.Unlock()
	if f.err != nil {
		if err := f.err(ids[0]); err != nil {
			return nil, err
		}
	}
	return &targets.Answer{Status: 200, Attempts: 1}, nil
}

// seqOf is the seq of the fake record named "r<seq>".
func seqOf(uoid string) int64 {
	var q int64
	fmt.Sscanf(uoid, "r%d", &q)
	return q
}

func rec(seq int64, parent string) record.Entry {
	return record.Entry{Seq: seq, UserObjectID: fmt.Sprintf("r%d", seq), Parent: parent, Status: record.Pending}
}

func newFakes(roots []record.Entry) (*fakeStore, *fakeTarget) {
	s := &fakeStore{roots: roots, children: map[string][]record.Entry{}, marked: map[int64]bool{}, results: map[int64]record.Result{}}
	return s, &fakeTarget{store: s, outcome: func(string) record.Status { return record.Succeeded }}
}

// Batches: every record goes once, in batches of at most BatchSize in Next's order, each marked
// before its request left, and its result is recorded; Progress is told of every one.
func TestSendBatches(t *testing.T) {
	var roots []record.Entry
	for q := int64(1); q <= 20; q++ {
		roots = append(roots, rec(q, ""))
	}
	store, target := newFakes(roots)
	target.outcome = func(u string) record.Status {
		if u == "r7" {
			return record.Failed
		}
		return record.Succeeded
	}
	var sent, failed int
	err := Send(t.Context(), target, target, store, Options{BatchSize: 3, Concurrency: 2,
		Progress: func(s, f int) { sent, failed = sent+s, failed+f }})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, c := range target.calls {
		ids := strings.Fields(c)
		if len(ids) > 3 || !slices.IsSortedFunc(ids, func(a, b string) int { return int(seqOf(a) - seqOf(b)) }) {
			t.Errorf("call %q: want at most 3 records in order", c)
		}
		seen = append(seen, ids...)
	}
	if len(seen) != 20 || len(target.unmark) > 0 {
		t.Errorf("sent %d records, want 20; sent unmarked: %v", len(seen), target.unmark)
	}
	if got := store.statuses(8); got != "1 succeeded, 2 succeeded, 3 succeeded, 4 succeeded, 5 succeeded, 6 succeeded, 7 failed, 8 succeeded" {
		t.Errorf("store: %s", got)
	}
	if sent != 20 || failed != 1 {
		t.Errorf("progress told of %d sent, %d failed; want 20 and 1", sent, failed)
	}
}

// Parents first: a record's children leave after it succeeded, once its success is recorded;
// a failed record's children never leave; a child the store refuses is recorded failed, unsent.
func TestSendParentsFirst(t *testing.T) {
	store, target := newFakes([]record.Entry{rec(1, ""), rec(2, ""), rec(3, "")})
	refused := rec(6, "r1")
	refused.Status, refused.Messages = record.Failed, []record.Message{{Code: "mapping", Text: "no id"}}
	store.children["r1"] = []record.Entry{rec(4, "r1"), rec(5, "r1"), refused}
	store.children["r2"] = []record.Entry{rec(7, "r2")}
	store.children["r4"] = []record.Entry{rec(8, "r4")}
	target.outcome = func(u string) record.Status {
		if u == "r2" {
			return record.Failed
		}
		return record.Succeeded
	}
	if err := Send(t.Context(), target, target, store, Options{Concurrency: 1, ParentsFirst: true}); err != nil {
		t.Fatal(err)
	}
	calls := slices.Clone(target.calls)
	slices.Sort(calls)
	if got := strings.Join(calls, ","); got != "r1,r2,r3,r4,r5,r8" {
		t.Errorf("calls %s, want r1, r2, r3, r4, r5 and r8 (not r6, refused, nor r7, of a failed parent)", got)
	}
	if got := store.statuses(8); got != "1 succeeded, 2 failed, 3 succeeded, 4 succeeded, 5 succeeded, 6 failed, 7 -, 8 succeeded" {
		t.Errorf("store: %s", got)
	}
	if len(target.unmark) > 0 || len(target.early) > 0 {
		t.Errorf("sent before their mark: %v; before their parent's success was recorded: %v", target.unmark, target.early)
	}
}

// The stops: nothing leaves after the first stop condition, the requests not sent go back to
// pending (their marks undone), and Send says why.
func TestSendStops(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		err      func(string) error
		failAll  bool
		failMark error
		stop     bool
		calls    int    // at most this many calls
		want     string // in Send's error
		pending  bool   // every unsent record's result is pending (none is still marked)
	}{
		{name: "credentials refused", opts: Options{BatchSize: 2, Concurrency: 1},
			err: func(string) error { return &targets.AuthError{Status: 401, Body: "no"} }, calls: 1, want: "refused the credentials", pending: true},
		{name: "unreachable", opts: Options{BatchSize: 2, Concurrency: 1},
			err: func(string) error { return &targets.TransportError{Err: errors.New("refused")} }, calls: 1, want: "cannot be reached", pending: true},
		{name: "max errors", opts: Options{BatchSize: 2, Concurrency: 1, Tally: NewTally(4, false)}, failAll: true, calls: 2,
			want: "4 records failed, the limit is 4", pending: true},
		{name: "breaker", opts: Options{BatchSize: 1, Concurrency: 1, Tally: NewTally(0, true)}, failAll: true, calls: breakerWindow,
			want: "the first 8 requests all failed the same way", pending: true},
		{name: "stop closed", opts: Options{BatchSize: 2, Concurrency: 2}, stop: true, calls: 0, want: Interrupted.Error(), pending: true},
		{name: "the store fails", opts: Options{BatchSize: 2, Concurrency: 2}, failMark: errors.New("disk full"), calls: 0, want: "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var roots []record.Entry
			for q := int64(1); q <= 40; q++ {
				roots = append(roots, rec(q, ""))
			}
			store, target := newFakes(roots)
			store.failMark = tc.failMark
			target.err = tc.err
			if tc.failAll {
				target.outcome = func(string) record.Status { return record.Failed }
			}
			var held atomic.Bool
			tc.opts.Hold = func() { held.Store(true) }
			if tc.stop {
				ch := make(chan struct{})
				close(ch)
				tc.opts.Stop = ch
			}
			err := Send(t.Context(), target, target, store, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Send: %v, want %q", err, tc.want)
			}
			if len(target.calls) > tc.calls || (tc.calls > 0 && len(target.calls) == 0) {
				t.Errorf("%d calls, want %d at most (and some)", len(target.calls), tc.calls)
			}
			if tc.failMark == nil && !held.Load() {
				t.Error("Hold was not called")
			}
			if tc.pending && len(store.marked) > 0 {
				t.Errorf("%d records are left marked as being sent without a result", len(store.marked))
			}
			if tc.failAll {
				return
			}
			for q, r := range store.results {
				if r.Status != record.Pending {
					t.Errorf("record %d is %s, want pending (never applied)", q, r.Status)
				}
			}
		})
	}
}
