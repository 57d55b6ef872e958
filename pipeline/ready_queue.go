package pipeline

import (
	"context"
	"sync"
)

// readyQueue holds the records whose parents have succeeded (or that have none), for the workers
// of an Onix Work run. Roots are pushed with backpressure (push waits while limit roots are
// queued); children are pushed at once, since the worker that found them must go on, and are
// taken before any root, so that a child leaves as soon as its parent succeeded and an order's
// lines do not wait behind the orders queued after it. pop ends once the roots are all read and
// no record is queued or in flight.
type readyQueue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	roots    []Sendable
	children []Sendable
	limit    int
	inFlight int  // popped and not yet finished
	allRoots bool // the feeder has pushed every root
}

func newReadyQueue(limit int) *readyQueue {
	q := &readyQueue{limit: limit}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push queues a root, waiting while the queue is full; it fails when ctx is done.
func (q *readyQueue) push(ctx context.Context, r Sendable) error {
	stop := context.AfterFunc(ctx, func() { q.mu.Lock(); q.cond.Broadcast(); q.mu.Unlock() })
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.roots) >= q.limit && ctx.Err() == nil {
		q.cond.Wait()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	q.roots = append(q.roots, r)
	q.cond.Broadcast()
	return nil
}

// pushChildren queues the children of a record in flight (before its finish).
func (q *readyQueue) pushChildren(rs []Sendable) {
	if len(rs) == 0 {
		return
	}
	q.mu.Lock()
	q.children = append(q.children, rs...)
	q.cond.Broadcast()
	q.mu.Unlock()
}

// rootsDone says every root has been pushed.
func (q *readyQueue) rootsDone() {
	q.mu.Lock()
	q.allRoots = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// pop takes the next record, waiting for one; false when there will be none (or ctx is done).
// The caller calls finish once it is done with the record.
func (q *readyQueue) pop(ctx context.Context) (Sendable, bool) {
	stop := context.AfterFunc(ctx, func() { q.mu.Lock(); q.cond.Broadcast(); q.mu.Unlock() })
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.roots)+len(q.children) == 0 && !(q.allRoots && q.inFlight == 0) && ctx.Err() == nil {
		q.cond.Wait()
	}
	if len(q.roots)+len(q.children) == 0 || ctx.Err() != nil {
		return Sendable{}, false
	}
	from := &q.roots
	if len(q.children) > 0 {
		from = &q.children
	}
	r := (*from)[0]
	(*from)[0] = Sendable{}
	*from = (*from)[1:]
	q.inFlight++
	q.cond.Broadcast() // room for the feeder
	return r, true
}

// finish says a popped record is done (its children, if any, pushed).
func (q *readyQueue) finish() {
	q.mu.Lock()
	q.inFlight--
	q.cond.Broadcast()
	q.mu.Unlock()
}
