package submit

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// Target is one API as the scheduler uses it (targets/onkey, targets/onixwork). Its methods
// must be safe for concurrent use.
type Target interface {
	// Call builds the request of batch: the only builder, so that what a dry run writes to
	// payloads/ is what is sent.
	Call(batch []record.Entry) targets.Call
	// Read reads ans, the answer to batch's request, into one result per record of batch, in
	// its order, on positive evidence only.
	Read(ctx context.Context, ans *targets.Answer, batch []record.Entry) []record.Result
}

// Sender makes one call, with its retries (targets.Sender).
type Sender interface {
	Send(ctx context.Context, c targets.Call) (*targets.Answer, error)
}

// Store is the run store as a pass uses it. Next and Ready read; MarkSending and SetOutcomes
// are called from one goroutine only (the writer), never at the same time as each other. An
// entry Next or Ready gives with Status record.Failed cannot be sent (a mapping with its
// parent's result failed): it is recorded failed with its Messages, unsent.
type Store interface {
	// Next streams the records of the pass, in the order they are to be sent. yield may block.
	Next(ctx context.Context, yield func(record.Entry) error) error
	// Ready gives the records that may be sent now that parents succeeded, results[i] being
	// parents[i]'s: their children, mapped with those results (only with Options.ParentsFirst).
	Ready(ctx context.Context, parents []record.Entry, results []record.Result) ([]record.Entry, error)
	// MarkSending records, durably, that the records seqs are being sent.
	MarkSending(ctx context.Context, seqs []int64) error
	// SetOutcomes records results.
	SetOutcomes(ctx context.Context, outs []record.Result) error
}

// Options shape a pass.
type Options struct {
	// BatchSize is the most records a request carries (1 with ParentsFirst).
	BatchSize int
	// Concurrency is how many requests are in flight at once.
	Concurrency int
	// ParentsFirst sends each record alone and, once it succeeded, the records Store.Ready
	// gives for it, ahead of every record not yet marked; a child is marked only after its
	// parent's success is recorded. Records are marked in the order they are to go, at most
	// Concurrency of them ahead of the senders (those and the ones in flight are all a crash
	// can leave unknown). Without it, records go in batches of BatchSize in Next's order, marked
	// Concurrency batches at a time, ahead of sending (one commit for many quick calls).
	ParentsFirst bool
	// Tally counts failures across the passes of a run (nil: no limit, no breaker).
	Tally *Tally
	// Stop, once closed, stops the pass gently: no request leaves after it, the requests in
	// flight finish and the pass returns Interrupted.
	Stop <-chan struct{}
	// Hold, if not nil, is called once when the pass stops, to hold back the requests that
	// wait for a slot (an adaptive limit).
	Hold func()
	// Progress, if not nil, is told of the results written: how many are outcomes of a
	// request, and how many of those failed. It is called from one goroutine.
	Progress func(sent, failed int)
	// Background, if not nil, is called first in the goroutines that do the store's work: the
	// feeder, the writer and the reader of children (which may then lower their thread's
	// priority).
	Background func()
}

// Send sends the records of store's pass to target through sender, as opts says, and records
// every result in store as it arrives. A feeder streams Next and queues requests, Concurrency
// senders each send one request at a time, ask the gate whether the run goes on, and hand the
// results to the one writer; with ParentsFirst, a marker marks the requests next in line and a
// reader of children calls Ready for the successes waiting together; they all run in one
// errgroup. At the first stop condition
// (credentials refused, target unreachable, the tally's limit, Stop) no request leaves any more:
// the requests in flight finish and the records not sent stay (or are put back to) pending.
// It returns an *AbortError for a stop, the store's error, or ctx's.
func Send(ctx context.Context, target Target, sender Sender, store Store, opts Options) error {
	conc, size := max(opts.Concurrency, 1), max(opts.BatchSize, 1)
	if opts.ParentsFirst {
		size = 1
	}
	if opts.Tally == nil {
		opts.Tally = NewTally(0, false)
	}
	sendCtx, stopSending := context.WithCancel(ctx)
	defer stopSending()
	halt := func() {
		stopSending()
		if opts.Hold != nil {
			opts.Hold()
		}
	}
	w := startWriter(ctx, store, conc, opts.Progress, halt, opts.Background)
	g := &gate{tally: opts.Tally, halt: halt}
	defer g.watch(opts.Stop)()
	limit, ahead := conc, conc
	if opts.ParentsFirst {
		limit = 4 * conc
	}
	q := newQueue(limit, ahead)
	p := &pass{target: target, sender: sender, store: store, opts: opts, w: w, g: g, q: q, size: size, sendCtx: sendCtx, halt: halt}

	var eg errgroup.Group
	eg.Go(func() error {
		defer q.rootsDone()
		if opts.Background != nil {
			opts.Background()
		}
		return p.feed(sendCtx, conc)
	})
	if opts.ParentsFirst {
		eg.Go(func() error { p.mark(); return nil })
		eg.Go(p.readChildren)
	}
	for range conc {
		eg.Go(func() error {
			for {
				it, ok := q.pop()
				if !ok {
					return nil
				}
				p.sendOne(ctx, it)
				q.finish()
			}
		})
	}
	err := eg.Wait()
	if err := errors.Join(w.close(), err); err != nil {
		return err
	}
	if err := g.err(); err != nil {
		return err
	}
	return ctx.Err()
}

// pass is one call of Send.
type pass struct {
	target  Target
	sender  Sender
	store   Store
	opts    Options
	w       *writer
	g       *gate
	q       *queue
	size    int
	sendCtx context.Context // done once the pass stops
	halt    func()
}

// feed streams Next into the queue: in batches marked conc at a time, or (ParentsFirst) one
// unmarked record each. A feeder stopped with the pass is not an error.
func (p *pass) feed(ctx context.Context, conc int) error {
	var chunk []record.Entry
	handOut := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if err := p.w.markSending(chunk); err != nil {
			return nil // the store failed: the writer stops the pass and reports it
		}
		for len(chunk) > 0 {
			n := min(p.size, len(chunk))
			if err := p.q.push(ctx, item{batch: chunk[:n:n], marked: true}); err != nil {
				p.w.unsent(chunk)
				chunk = nil
				return err
			}
			chunk = chunk[n:]
		}
		return nil
	}
	err := p.store.Next(ctx, func(e record.Entry) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if e.Status == record.Failed {
			p.w.write([]record.Result{{Seq: e.Seq, Status: record.Failed, Messages: e.Messages}})
			return nil
		}
		if p.opts.ParentsFirst {
			return p.q.push(ctx, item{batch: []record.Entry{e}}) // the marker marks it
		}
		if chunk = append(chunk, e); len(chunk) == p.size*conc {
			return handOut()
		}
		return nil
	})
	if err == nil && ctx.Err() == nil {
		err = handOut()
	}
	if ctx.Err() != nil {
		return nil // stopped on purpose
	}
	return err
}

// sendOne sends one marked request, unless the pass has stopped, records its results and,
// with ParentsFirst, hands its successes to the reader of children. A request never leaves
// unmarked: the marker leaves requests unmarked only once the pass stopped.
func (p *pass) sendOne(ctx context.Context, it item) {
	if !it.marked || p.g.stopped() || p.sendCtx.Err() != nil {
		if it.marked {
			p.w.unsent(it.batch)
		}
		return // stays pending
	}
	d := p.call(ctx, it.batch)
	goOn := p.g.record(d)
	p.w.write(d.outs)
	if !p.opts.ParentsFirst || !goOn || len(d.outs) != len(it.batch) {
		return
	}
	var ss []succeeded
	for i, e := range it.batch {
		if d.outs[i].Status == record.Succeeded {
			ss = append(ss, succeeded{e: e, res: d.outs[i]})
		}
	}
	p.q.succeed(ss)
}

// call makes batch's request and reads its answer.
func (p *pass) call(ctx context.Context, batch []record.Entry) done {
	ans, err := p.sender.Send(ctx, p.target.Call(batch))
	if d, failed := failedCall(err, batch); failed {
		return d
	}
	return done{outs: p.target.Read(ctx, ans, batch)}
}
