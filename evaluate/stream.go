package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/readers"
)

// ReadError is a source that could not be read to its end (a truncated file, malformed XML).
// The rows read before it are evaluated; a dry run's reports cover only those.
type ReadError struct {
	Source string
	Err    error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("source %s: %v; the reports cover only the rows read before this", e.Source, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// Result is what Stream made of one row.
type Result struct {
	Source string // the source's name
	// Entries are the row's records, their bodies encoded (Entry.Body).
	Entries []Entry
	// Read is how many bytes of the sources were read when the row was, and Total how many
	// there are, summed over the sources whose reader can tell (readers.Positioned: CSV, XLSX);
	// Total 0 means not known.
	Read, Total int64
}

// item is a row on its way to a worker; done is what the worker made of it.
type item struct {
	seq int
	pos int64 // bytes of the sources read when the row was
	src *Source
	row readers.Row
}

type done struct {
	seq    int
	result Result
}

// Stream reads the rows of every source in spec order, one reader goroutine for all, evaluates
// them on workers goroutines (GOMAXPROCS when workers <= 0), and calls each with each row's
// Result in the order the rows were read, from one goroutine. It returns the sources' stats by
// name. A source that cannot be read on stops the reading: the rows read before it are all
// passed to each, and Stream returns its *ReadError with a nil error. An error from each, from
// encoding a body, or ctx's, stops everything and is returned. Stream reads each source once:
// call it once per Job made by Prepare.
func (j *Job) Stream(ctx context.Context, workers int, each func(Result) error) (map[string]*SourceStats, *ReadError, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, ctx := errgroup.WithContext(ctx)
	stats := map[string]*SourceStats{}
	for _, s := range j.sources {
		stats[s.spec.Name] = &SourceStats{}
	}
	var total int64 // of the sources that can tell
	for _, s := range j.sources {
		if pr, ok := s.reader.(readers.Positioned); ok {
			_, t := pr.Position()
			total += t
		}
	}
	items := make(chan item, workers*4)
	outs := make(chan done, workers*4)

	var readErr *ReadError
	g.Go(func() error {
		defer close(items)
		var err error
		readErr, err = j.read(ctx, stats, items)
		return err
	})

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for it := range items {
				d := done{seq: it.seq, result: Result{Source: it.src.spec.Name, Entries: it.src.Evaluate(it.row), Read: it.pos, Total: total}}
				for i := range d.result.Entries {
					if err := d.result.Entries[i].Encode(); err != nil {
						return err
					}
				}
				select {
				case outs <- d:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	go func() { wg.Wait(); close(outs) }()

	g.Go(func() error {
		pending := map[int]Result{}
		next := 0
		for d := range outs {
			pending[d.seq] = d.result
			for {
				r, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				stats[r.Source].Rows++
				if err := each(r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	j.finishStats(stats)
	return stats, readErr, nil
}

// read sends every row of the sources, in spec order, to items, noting each row's columns in
// stats. A source that cannot be read on ends the reading with its *ReadError.
func (j *Job) read(ctx context.Context, stats map[string]*SourceStats, items chan<- item) (*ReadError, error) {
	seq := 0
	var before int64 // bytes of the sources read to their end
	for _, s := range j.sources {
		pr, positioned := s.reader.(readers.Positioned)
		pos := func() int64 {
			if !positioned {
				return before
			}
			done, _ := pr.Position()
			return before + done
		}
		for {
			row, err := s.reader.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				// The rows read so far are still evaluated and passed on.
				return &ReadError{Source: s.spec.Name, Err: err}, nil
			}
			stats[s.spec.Name].see(row.Columns)
			select {
			case items <- item{seq: seq, pos: pos(), src: s, row: row}:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			seq++
		}
		if positioned {
			_, t := pr.Position()
			before += t
		}
	}
	return nil, nil
}
