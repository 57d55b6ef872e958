package submit

import (
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// ids renders the records of its: "r1 r2".
func ids(its []item) string {
	var out []string
	for _, it := range its {
		for _, e := range it.batch {
			out = append(out, e.UserObjectID)
		}
	}
	return strings.Join(out, " ")
}

// The marker is given at most ahead requests ahead of the senders, children before roots, and
// every stage ends once nothing is queued or under way.
func TestQueueMarksAhead(t *testing.T) {
	q := newQueue(100, 3)
	for s := int64(1); s <= 6; s++ {
		if err := q.push(t.Context(), item{batch: []record.Entry{rec(s, "")}}); err != nil {
			t.Fatal(err)
		}
	}
	q.rootsDone()
	step := func(want string) {
		t.Helper()
		its, ok := q.toMark()
		if got := ids(its); !ok || got != want {
			t.Fatalf("toMark gave %q, %v; want %q", got, ok, want)
		}
		for i := range its {
			its[i].marked = true
		}
		q.marked(its)
	}
	step("r1 r2 r3") // three ahead, no more
	it, _ := q.pop()
	q.succeed([]succeeded{{e: it.batch[0], res: record.Result{Seq: 1, Status: record.Succeeded}}})
	q.finish()
	parents, ok := q.toRead()
	if !ok || len(parents) != 1 || parents[0].e.UserObjectID != "r1" {
		t.Fatalf("toRead gave %v, %v; want r1", parents, ok)
	}
	q.read([]item{{batch: []record.Entry{rec(7, "r1")}, child: true}, {batch: []record.Entry{rec(8, "r1")}, child: true}}, 1)
	step("r7") // one popped, one more ahead: the child first
	var popped []string
	for {
		it, ok := q.pop()
		if !ok {
			break
		}
		popped = append(popped, ids([]item{it}))
		q.finish()
		switch ids([]item{it}) {
		case "r3":
			step("r8 r4 r5") // nothing marked left: three again, the child first
		case "r8":
			step("r6") // room for one
		}
	}
	if got := strings.Join(popped, " "); got != "r7 r2 r3 r8 r4 r5 r6" {
		t.Errorf("popped %s, want r7 r2 r3 r8 r4 r5 r6 (marked children first)", got)
	}
	if _, ok := q.toMark(); ok {
		t.Error("toMark gave more after the queue ended")
	}
	if _, ok := q.toRead(); ok {
		t.Error("toRead gave more after the queue ended")
	}
}
