package submit

import "github.com/bulkload/bulkload/record"

// The two stages of a pass with ParentsFirst, each a goroutine of its own between the senders
// and the queue, so that a sender takes its next request as soon as its answer is read: the
// marker marks the requests next in line, the reader of children reads what a success made
// ready.

// mark marks the requests next in line (toMark) in one commit, ahead of the senders, until the
// queue ends. Once the pass has stopped, or the store failed to mark, it hands them on unmarked:
// the senders send none of them, and they stay pending.
func (p *pass) mark() {
	for {
		its, ok := p.q.toMark()
		if !ok {
			return
		}
		if !p.g.stopped() && p.sendCtx.Err() == nil {
			var batch []record.Entry
			for _, it := range its {
				batch = append(batch, it.batch...)
			}
			if err := p.w.markSending(batch); err == nil { // a failure stops the pass (the writer)
				for i := range its {
					its[i].marked = true
				}
			}
		}
		p.q.marked(its)
	}
}

// readParents is the most parents one call of Store.Ready reads the children of.
const readParents = 100

// readChildren queues the records Store.Ready gives for the records that succeeded, reading
// for those waiting together at once, until the queue ends; a child whose mapping failed is
// recorded failed, unsent. At the store's first error it stops the pass, reads nothing more
// and returns that error.
func (p *pass) readChildren() error {
	if p.opts.Background != nil {
		p.opts.Background()
	}
	var failed error
	for {
		waiting, ok := p.q.toRead()
		if !ok {
			return failed
		}
		var items []item
		var refused []record.Result
		for rest := waiting; len(rest) > 0 && failed == nil && p.sendCtx.Err() == nil; {
			n := min(len(rest), readParents)
			parents, results := make([]record.Entry, n), make([]record.Result, n)
			for i, s := range rest[:n] {
				parents[i], results[i] = s.e, s.res
			}
			rest = rest[n:]
			ready, err := p.store.Ready(p.sendCtx, parents, results)
			if err != nil {
				if p.sendCtx.Err() == nil {
					failed = err
					p.halt()
				}
				break
			}
			for _, c := range ready {
				if c.Status == record.Failed {
					refused = append(refused, record.Result{Seq: c.Seq, Status: record.Failed, Messages: c.Messages})
					continue
				}
				items = append(items, item{batch: []record.Entry{c}, child: true})
			}
		}
		p.w.write(refused)
		p.q.read(items, len(waiting))
	}
}
