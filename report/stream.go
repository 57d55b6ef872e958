package report

import "github.com/bulkload/bulkload/record"

// Writer is one report written from a stream of entries: Write is called once per entry, in the
// order of the rows that produced them (seq order), then Close once, which finishes the report
// and puts it in place; Abort, instead of Close or after it, drops what is not in place yet.
// A Writer is used by one goroutine.
type Writer interface {
	Write(e *record.Entry) error
	Close() error
	Abort()
}

// Each calls fn for every entry of a stream, in seq order, stopping at the first error fn
// returns. The entry is fn's only for the call: a writer keeps what it needs of it, not e.
type Each func(fn func(e *record.Entry) error) error

// Feed gives every entry of each to every writer, then closes them; one pass over the stream
// feeds them all. On an error, the writers not yet closed are aborted.
func Feed(each Each, ws ...Writer) error {
	err := each(func(e *record.Entry) error {
		for _, w := range ws {
			if err := w.Write(e); err != nil {
				return err
			}
		}
		return nil
	})
	for i, w := range ws {
		if err != nil {
			for _, rest := range ws[i:] {
				rest.Abort()
			}
			return err
		}
		err = w.Close()
	}
	if err != nil {
		ws[len(ws)-1].Abort()
	}
	return err
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
