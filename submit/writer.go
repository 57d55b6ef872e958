package submit

import (
	"context"

	"github.com/bulkload/bulkload/record"
)

// writer records results in the store from a goroutine of its own (the store's one writer while
// sending), so that a slow write never holds back a request. Results waiting together are
// written in one call of SetOutcomes. It also writes the marks that records are being sent.
type writer struct {
	ch   chan writeOp
	done chan error
}

// writeOp is one thing for the writer to do: record results, or mark records as being sent and
// say when that is committed (or failed) on ack.
type writeOp struct {
	outs []record.Result
	mark []int64
	ack  chan error
}

// Writer pacing: the senders' answers can wait for the writer up to writerSlack times the
// number of senders before a sender has to (a sender that waits for the store leaves its slot
// empty); answers that wait together are written together, up to writerBatch results a call.
const (
	writerSlack = 4
	writerBatch = 1000
)

// startWriter starts the writer over store. progress is told of every result written: how many
// were outcomes of a request, and how many of those failed; failed is called once if the store
// fails (the run must stop sending). background, if not nil, is called first in its goroutine.
func startWriter(ctx context.Context, store Store, senders int, progress func(sent, failed int), failed, background func()) *writer {
	w := &writer{ch: make(chan writeOp, writerSlack*senders), done: make(chan error, 1)}
	go func() {
		if background != nil {
			background()
		}
		var err error
		check := func(e error) {
			if e != nil && err == nil {
				err = e
				failed()
			}
		}
		for op := range w.ch {
			// Take what is waiting, up to a call's worth of results. The results go first, then
			// the marks, all in one call (one commit): a record's mark is committed after every
			// result handed over before it, so a child (marked once its parent's success
			// was handed over) never leaves before that success is recorded. A result is never of
			// a record whose mark is in the same take, since its request left after the mark
			// returned.
			var outs []record.Result
			var marks []int64
			var acks []chan error
			for {
				outs = append(outs, op.outs...)
				if op.ack != nil {
					marks, acks = append(marks, op.mark...), append(acks, op.ack)
				}
				if len(outs) >= writerBatch || len(w.ch) == 0 {
					break
				}
				op = <-w.ch
			}
			if err == nil && len(outs) > 0 {
				if check(store.SetOutcomes(ctx, outs)); err == nil && progress != nil {
					progress(countSent(outs))
				}
			}
			if len(acks) > 0 {
				if err == nil {
					check(store.MarkSending(ctx, marks))
				}
				for _, ack := range acks {
					ack <- err // after a failure the writer only drains: the senders must not block
				}
			}
		}
		w.done <- err
	}()
	return w
}

// countSent is how many of outs are outcomes of a request, not records put back to pending, and
// how many of those are failures.
func countSent(outs []record.Result) (sent, failed int) {
	for _, o := range outs {
		if o.Status != record.Pending {
			sent++
		}
		if o.Status == record.Failed {
			failed++
		}
	}
	return sent, failed
}

// write hands results to the writer.
func (w *writer) write(outs []record.Result) {
	if len(outs) > 0 {
		w.ch <- writeOp{outs: outs}
	}
}

// markSending has the records of batch marked as being sent and returns once the mark is
// committed: only then may their request leave. Marks waiting together share one commit.
func (w *writer) markSending(batch []record.Entry) error {
	seqs := make([]int64, len(batch))
	for i, e := range batch {
		seqs[i] = e.Seq
	}
	ack := make(chan error, 1)
	w.ch <- writeOp{mark: seqs, ack: ack}
	return <-ack
}

// unsent puts records marked as being sent, whose request never left, back to pending.
func (w *writer) unsent(batch []record.Entry) {
	w.write(allOf(batch, record.Result{Status: record.Pending}))
}

// close waits for every result handed over to be written and returns the store's error, if any.
func (w *writer) close() error {
	close(w.ch)
	return <-w.done
}
