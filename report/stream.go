package report

import (
	"errors"
	"sync"

	"github.com/bulkload/bulkload/record"
)

// Writer is one report written from a stream of entries: Write is called once per entry, in the
// order of the rows that produced them (seq order), then Close once, which finishes the report
// and puts it in place; Abort, instead of Close or after it, drops what is not in place yet.
// A Writer is used by one goroutine at a time; Write must not change the entry.
type Writer interface {
	Write(e *record.Entry) error
	Close() error
	Abort()
}

// Each calls fn for every entry of a stream, in seq order, stopping at the first error fn
// returns. Each entry is one of its own: neither it nor what it refers to (body, messages, rows)
// is changed after the call, so a writer may keep it; writers only read entries.
type Each func(fn func(e *record.Entry) error) error

// feedBatch is how many entries go to the writers' goroutines at a time.
const feedBatch = 256

// Feed gives every entry of each to every writer, then closes them: one pass over the stream
// feeds them all, each writer on a goroutine of its own (they share the entries, read only), so
// that the writers' work spreads over the cores. Each writer sees the entries in seq order. On
// an error (of the stream or of a writer) every writer is aborted and the first error returned.
func Feed(each Each, ws ...Writer) error {
	stop := make(chan struct{}) // closed at the first writer's error
	var once sync.Once
	errs := make([]error, len(ws))
	chans := make([]chan []*record.Entry, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		ch := make(chan []*record.Entry, 8)
		chans[i] = ch
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range ch {
				for _, e := range batch {
					if errs[i] != nil {
						break // drained: the feeder stops at stop
					}
					if errs[i] = w.Write(e); errs[i] != nil {
						once.Do(func() { close(stop) })
					}
				}
			}
		}()
	}
	var batch []*record.Entry
	send := func() error {
		for _, ch := range chans {
			select {
			case ch <- batch:
			case <-stop:
				return errStopped
			}
		}
		batch = make([]*record.Entry, 0, feedBatch)
		return nil
	}
	err := each(func(e *record.Entry) error {
		if batch = append(batch, e); len(batch) == feedBatch {
			return send()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = send()
	}
	for _, ch := range chans {
		close(ch)
	}
	wg.Wait()
	if werr := errors.Join(errs...); werr != nil {
		err = werr // the writer's error, not the feeder's errStopped
	}
	if err == nil {
		err = closeAll(ws)
	}
	if err != nil {
		for _, w := range ws {
			w.Abort()
		}
	}
	return err
}

// errStopped stops the feeding once a writer has failed.
var errStopped = errors.New("report: a writer failed")

// closeAll closes every writer, on goroutines of their own, and returns their errors.
func closeAll(ws []Writer) error {
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = w.Close() }()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Func is a Writer made of a function called with each entry; Close and Abort do nothing.
type Func func(e *record.Entry) error

func (f Func) Write(e *record.Entry) error { return f(e) }
func (f Func) Close() error                { return nil }
func (f Func) Abort()                      {}

// Slice is the Each of a slice of entries, for tests and small runs.
func Slice(es []record.Entry) Each {
	return func(fn func(*record.Entry) error) error {
		for i := range es {
			if err := fn(&es[i]); err != nil {
				return err
			}
		}
		return nil
	}
}
