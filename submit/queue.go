package submit

import (
	"context"
	"sync"

	"github.com/bulkload/bulkload/record"
)

// item is one request's records, marked as being sent already or not.
type item struct {
	batch  []record.Entry
	marked bool
}

// queue holds the requests ready to be sent, for the senders. Roots (what the feeder reads) are
// pushed with backpressure (push waits while limit roots are queued); children (the records a
// sent one made ready) are pushed at once, since the sender that found them must go on, and are
// taken before any root, so that a child leaves as soon as its parent succeeded and an order's
// lines do not wait behind the orders queued after it. pop ends once the roots are all pushed
// and nothing is queued or in flight. It is safe for concurrent use.
type queue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	roots    []item
	children []item
	limit    int
	inFlight int  // popped and not yet finished
	allRoots bool // the feeder has pushed every root
}

func newQueue(limit int) *queue {
	q := &queue{limit: limit}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push queues a root, waiting while the queue is full; it fails when ctx is done.
func (q *queue) push(ctx context.Context, it item) error {
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
	q.roots = append(q.roots, it)
	q.cond.Broadcast()
	return nil
}

// pushChildren queues the children of a request in flight (before its finish).
func (q *queue) pushChildren(its []item) {
	if len(its) == 0 {
		return
	}
	q.mu.Lock()
	q.children = append(q.children, its...)
	q.cond.Broadcast()
	q.mu.Unlock()
}

// rootsDone says every root has been pushed.
func (q *queue) rootsDone() {
	q.mu.Lock()
	q.allRoots = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// pop takes the next request, waiting for one; false when there will be none. It ends only
// after rootsDone: what is queued is always handed out, so that a sender can put back what a
// stopped run does not send. The caller calls finish once it is done with the request.
func (q *queue) pop() (item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.roots)+len(q.children) == 0 && !(q.allRoots && q.inFlight == 0) {
		q.cond.Wait()
	}
	if len(q.roots)+len(q.children) == 0 {
		return item{}, false
	}
	from := &q.roots
	if len(q.children) > 0 {
		from = &q.children
	}
	it := (*from)[0]
	(*from)[0] = item{}
	*from = (*from)[1:]
	q.inFlight++
	q.cond.Broadcast() // room for the feeder
	return it, true
}

// finish says a popped request is done (its children, if any, pushed).
func (q *queue) finish() {
	q.mu.Lock()
	q.inFlight--
	q.cond.Broadcast()
	q.mu.Unlock()
}
