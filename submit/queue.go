package submit

import (
	"context"
	"sync"

	"github.com/bulkload/bulkload/record"
)

// item is one request's records, marked as being sent already or not; child says it was made
// ready by its parent's success (it goes before every root).
type item struct {
	batch  []record.Entry
	marked bool
	child  bool
}

// lanes are requests in the order they go: every child before any root, each lane in the order
// it was filled.
type lanes struct{ children, roots []item }

func (l *lanes) len() int { return len(l.children) + len(l.roots) }

func (l *lanes) add(it item) {
	if it.child {
		l.children = append(l.children, it)
	} else {
		l.roots = append(l.roots, it)
	}
}

// take removes and returns the first n requests, children first.
func (l *lanes) take(n int) []item {
	var its []item
	for _, from := range []*[]item{&l.children, &l.roots} {
		k := min(n-len(its), len(*from))
		its = append(its, (*from)[:k]...)
		clear((*from)[:k])
		*from = (*from)[k:]
	}
	return its
}

// succeeded is a record that succeeded, whose children are to be read (Store.Ready).
type succeeded struct {
	e   record.Entry
	res record.Result
}

// queue holds the requests of a pass between the feeder, the stages and the senders, and is
// safe for concurrent use. A request is first to mark (todo), then marked (ready) for a sender
// to pop; a request pushed marked already goes straight to ready. Roots (what the feeder reads)
// are pushed with backpressure (push waits while limit roots are queued); children (the
// records a sent one made ready) are queued at once, since the stage that found them must go
// on. Children go before roots, at each step: an order's lines do not wait behind the orders
// queued after it. The marker marks at most ahead requests ahead of the senders (toMark), so
// that a sender rarely waits for a mark, while few records are marked long before they leave.
// Every stage ends (pop, toMark and toRead say false) once the roots are all pushed and nothing
// is queued, in a stage or in flight.
type queue struct {
	mu       sync.Mutex
	cond     *sync.Cond
	todo     lanes       // to mark
	ready    lanes       // marked (or, once the pass stopped, left unmarked), for the senders
	parents  []succeeded // for the reader of children
	limit    int         // the most roots queued
	ahead    int         // the most requests in ready that the marker fills
	busy     int         // popped and not finished, being marked, or parents being read
	allRoots bool        // the feeder has pushed every root
}

func newQueue(limit, ahead int) *queue {
	q := &queue{limit: limit, ahead: ahead}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// idle reports whether nothing is queued or under way any more and nothing will be: every
// stage may end. The caller holds mu.
func (q *queue) idle() bool {
	return q.allRoots && q.busy == 0 && q.todo.len()+q.ready.len()+len(q.parents) == 0
}

// push queues a root, waiting while the queue holds limit roots; it fails when ctx is done.
func (q *queue) push(ctx context.Context, it item) error {
	stop := context.AfterFunc(ctx, func() { q.mu.Lock(); q.cond.Broadcast(); q.mu.Unlock() })
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.todo.roots)+len(q.ready.roots) >= q.limit && ctx.Err() == nil {
		q.cond.Wait()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if it.marked {
		q.ready.add(it)
	} else {
		q.todo.add(it)
	}
	q.cond.Broadcast()
	return nil
}

// rootsDone says every root has been pushed.
func (q *queue) rootsDone() {
	q.mu.Lock()
	q.allRoots = true
	q.cond.Broadcast()
	q.mu.Unlock()
}

// pop takes the next marked request, waiting for one; false when there will be none. What is
// queued is always handed out, so that a sender can put back what a stopped pass does not
// send. The caller calls finish once it is done with the request.
func (q *queue) pop() (item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.ready.len() == 0 && !q.idle() {
		q.cond.Wait()
	}
	if q.ready.len() == 0 {
		return item{}, false
	}
	it := q.ready.take(1)[0]
	q.busy++
	q.cond.Broadcast() // room for the feeder and the marker
	return it, true
}

// finish says a popped request is done (its successes handed to succeed).
func (q *queue) finish() {
	q.mu.Lock()
	q.busy--
	q.cond.Broadcast()
	q.mu.Unlock()
}

// succeed queues records of a request in flight (before its finish) whose children are to be
// read.
func (q *queue) succeed(ss []succeeded) {
	if len(ss) == 0 {
		return
	}
	q.mu.Lock()
	q.parents = append(q.parents, ss...)
	q.cond.Broadcast()
	q.mu.Unlock()
}

// toRead takes every parent queued, waiting for one; false when there will be none. The caller
// calls read once it queued their children.
func (q *queue) toRead() ([]succeeded, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.parents) == 0 && !q.idle() {
		q.cond.Wait()
	}
	ss := q.parents
	q.parents = nil
	q.busy += len(ss)
	return ss, len(ss) > 0
}

// read queues the children of n parents toRead gave, to be marked.
func (q *queue) read(children []item, n int) {
	q.mu.Lock()
	for _, it := range children {
		q.todo.add(it)
	}
	q.busy -= n
	q.cond.Broadcast()
	q.mu.Unlock()
}

// toMark takes the first requests to mark, as many as ready has room for below ahead, waiting
// for room and a request; false when there will be none. The caller calls marked with them.
func (q *queue) toMark() ([]item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for (q.todo.len() == 0 || q.ready.len() >= q.ahead) && !q.idle() {
		q.cond.Wait()
	}
	if q.todo.len() == 0 {
		return nil, false
	}
	its := q.todo.take(q.ahead - q.ready.len())
	q.busy += len(its)
	q.cond.Broadcast() // room for the feeder
	return its, true
}

// marked hands the requests toMark gave to the senders.
func (q *queue) marked(its []item) {
	q.mu.Lock()
	for _, it := range its {
		q.ready.add(it)
	}
	q.busy -= len(its)
	q.cond.Broadcast()
	q.mu.Unlock()
}
