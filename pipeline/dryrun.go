package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// Options tunes a run. The zero value is usable.
type Options struct {
	// RunDir is the run directory to write; empty means a new folder
	// <report.dir>/<job name>-<UTC time> beside the spec.
	RunDir string
	// Workers is the number of goroutines typing, validating and mapping rows (default
	// GOMAXPROCS).
	Workers int
	// Progress, if not nil, is told about every row read. It is called from one goroutine.
	Progress func(rows int)
	// Bytes, if not nil, is told after each row Progress is told of how far the reading of the
	// sources got: done bytes of total, summed over the sources whose reader can tell
	// (readers.Positioned: CSV, XLSX); total 0 means not known. It is called from the goroutine
	// that calls Progress.
	Bytes func(done, total int64)
	// Phase, if not nil, is told the name of each phase of the evaluation as it starts:
	// PhaseReading, PhaseChecking, PhaseReports (Run's sending is told by RunOptions.Sending).
	Phase func(name string)
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Lock, if not nil, is the caller's lock on RunDir (LockRunDir), held until the run returns;
	// nil: the run takes the lock itself and releases it when it returns. Either way a second
	// process cannot use the directory meanwhile.
	Lock *RunDirLock
	// Command is what the lock file says started the run (the command line), when the run takes
	// the lock itself.
	Command string
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Progress == nil {
		o.Progress = func(int) {}
	}
	if o.Bytes == nil {
		o.Bytes = func(int64, int64) {}
	}
	if o.Phase == nil {
		o.Phase = func(string) {}
	}
	return o
}

// Outcome is what a run leaves behind: its directory and its summary.
type Outcome struct {
	RunDir  string
	Summary *Summary
}

// DryRun reads, types, validates and maps every row of the job, applies the cross-row rules,
// and writes the run directory: the run store (the run's facts, no records), report.csv, report.jsonl, summary.json, the
// request bodies that would be sent (payloads/) and a fix file per source with invalid rows
// (fix/). Nothing is sent. A *SetupError means nothing was read; a *ReadError comes with the
// Outcome of the rows read before it.
func DryRun(ctx context.Context, job *spec.Job, opts Options) (*Outcome, error) {
	opts = opts.withDefaults()
	release, err := opts.holdRunDir(job)
	if err != nil {
		return nil, err
	}
	defer release()
	return dryRunStreaming(ctx, job, opts)
}

// evaluated is a job whose rows have all been read, typed, validated, mapped and stored, with the
// cross-row rules applied and put into the run store: what a run sends.
type evaluated struct {
	job     *spec.Job
	dir     string
	store   *Store
	stats   map[string]*sourceStats
	readErr *ReadError
	started time.Time
	mode    string
	conc    *Concurrency // what the requests in flight were, once sent
}

// evaluateJob prepares the job, makes the run directory and its store, evaluates every row as a
// dry run does (a spill and the rules' index), and puts the records into the store with their
// final statuses (addResolved). The caller closes ev.store.
func evaluateJob(ctx context.Context, job *spec.Job, opts Options, mode string) (*evaluated, error) {
	p, err := prepare(job)
	if err != nil {
		return nil, err
	}
	defer p.Close()

	started := opts.Now()
	dir, err := makeRunDir(job, opts.RunDir, started)
	if err != nil {
		return nil, err
	}
	specPath, err := filepath.Abs(job.File)
	if err != nil {
		return nil, err
	}
	store, err := createStore(ctx, dir, map[string]string{"job": job.Name, "spec": specPath, "mode": mode,
		"started": started.UTC().Format(time.RFC3339), metaSourceFiles: encodeSourceFiles(job)})
	if err != nil {
		return nil, err
	}
	store.SendWithoutChildren(job)
	ev := &evaluated{job: job, dir: dir, store: store, started: started, mode: mode}
	sink, err := newStreamSink(dir, job)
	if err != nil {
		store.Close()
		return nil, err
	}
	defer sink.Close()
	sink.keepEnv = true
	opts.Phase(PhaseReading)
	ev.stats, ev.readErr, err = p.evaluateAll(ctx, sink, opts)
	if err == nil {
		opts.Phase(PhaseChecking)
		err = store.addResolved(ctx, sink)
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	return ev, nil
}

// finish writes the reports and returns the outcome, with the error that stopped the run: the
// read error if there was one, else stopped (nil for a run that went to its end).
func (ev *evaluated) finish(ctx context.Context, opts Options, stopped error) (*Outcome, error) {
	if ev.readErr != nil {
		stopped = ev.readErr
	}
	if opts.Lock != nil {
		if err := opts.Lock.Check(); err != nil {
			return nil, err // the reports would go to another directory, or nowhere
		}
	}
	opts.Phase(PhaseReports)
	notes, err := ev.store.DependencyNotes(ctx)
	if err != nil {
		return nil, err
	}
	t, err := newTracer(ctx, ev.job, ev.store)
	if err != nil {
		return nil, err
	}
	run := reportRun{job: ev.job, dir: ev.dir, mode: ev.mode, stats: ev.stats, started: ev.started, finished: opts.Now(),
		aborted: stopped, conc: ev.conc, notes: notes}
	sum, err := writeReports(ctx, run, storeEntries(ctx, ev.store, t))
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: ev.dir, Summary: sum}, stopped
}

// ReadError is a source that could not be read to its end (a truncated file, malformed XML).
// DryRun returns it with an Outcome whose reports cover the rows read before it.
type ReadError struct {
	Source string
	Err    error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("source %s: %v; the reports cover only the rows read before this", e.Source, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// item is a row on its way to a worker; outcome is what the worker made of it.
type item struct {
	seq int
	pos int64 // bytes of the sources read when the row was
	src *sourcePlan
	row readers.Row
}

type outcome struct {
	pos     int64 // the item's
	seq     int
	source  string
	entries []Entry
}

// sourceStats counts what was read from one source.
type sourceStats struct {
	Rows int `json:"rows"`
	// columns are the source's column (or JSON field) names seen, the union over its rows.
	columns map[string]bool
	last    []string // the Columns of the last row counted, which rows usually share
	// Unused are the columns no mapping of the source reads, sorted: what a run would drop.
	Unused []string
	// Warnings are what the reader noticed that is no error (an empty sheet).
	Warnings []string
}

// findUnused sets st.Unused from the columns seen and the source's mappings; exploded names the
// columns another source explodes into rows of their own (Orderlines), which are read there.
func (st *sourceStats) findUnused(mappings []*transforms.Mapping, exploded map[string]bool) {
	for c := range st.columns {
		if isFixColumn(c) || exploded[c] || slices.ContainsFunc(mappings, func(m *transforms.Mapping) bool { return m.Uses(c) }) {
			continue
		}
		st.Unused = append(st.Unused, c)
	}
	slices.Sort(st.Unused)
}

// see adds a row's columns to the source's.
func (st *sourceStats) see(cols []string) {
	if len(cols) > 0 && len(cols) == len(st.last) && &cols[0] == &st.last[0] {
		return // the same header as the row before
	}
	if st.columns == nil {
		st.columns = map[string]bool{}
	}
	for _, c := range cols {
		st.columns[c] = true
	}
	st.last = cols
}

// evaluateAll runs the reader, the workers and the collector: rows are read from each source in
// spec order, evaluated by opts.Workers goroutines, and given to store by the collector in the
// order they were read, so that reports are deterministic. A source that cannot be read on stops the
// reading (readErr); the rows read before it are still evaluated and stored.
func (p *plan) evaluateAll(ctx context.Context, store entrySink, opts Options) (stats map[string]*sourceStats, readErr *ReadError, err error) {
	g, ctx := errgroup.WithContext(ctx)
	stats = map[string]*sourceStats{}
	for _, sp := range p.sources {
		stats[sp.spec.Name] = &sourceStats{}
	}
	var bytesTotal int64 // of the sources that can tell
	for _, sp := range p.sources {
		if pr, ok := sp.reader.(readers.Positioned); ok {
			_, t := pr.Position()
			bytesTotal += t
		}
	}
	items := make(chan item, opts.Workers*4)
	outs := make(chan outcome, opts.Workers*4)

	g.Go(func() error {
		defer close(items)
		seq := 0
		var before int64 // bytes of the sources read to their end
		for _, sp := range p.sources {
			pr, positioned := sp.reader.(readers.Positioned)
			pos := func() int64 {
				if !positioned {
					return before
				}
				done, _ := pr.Position()
				return before + done
			}
			for {
				row, err := sp.reader.Next(ctx)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					// The rows read so far are still evaluated and reported.
					readErr = &ReadError{Source: sp.spec.Name, Err: err}
					return nil
				}
				stats[sp.spec.Name].see(row.Columns)
				select {
				case items <- item{seq: seq, pos: pos(), src: sp, row: row}:
				case <-ctx.Done():
					return ctx.Err()
				}
				seq++
			}
			if positioned {
				_, t := pr.Position()
				before += t
			}
		}
		return nil
	})

	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			for it := range items {
				o := outcome{seq: it.seq, pos: it.pos, source: it.src.spec.Name, entries: it.src.evaluate(it.row)}
				for i := range o.entries {
					if err := o.entries[i].encode(); err != nil {
						return err
					}
				}
				select {
				case outs <- o:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}
	go func() { workers.Wait(); close(outs) }()

	g.Go(func() error {
		pending := map[int]outcome{}
		next := 0
		for o := range outs {
			pending[o.seq] = o
			for {
				o, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				stats[o.source].Rows++
				for _, e := range o.entries {
					if err := store.Add(ctx, e); err != nil {
						return err
					}
				}
				opts.Progress(1)
				opts.Bytes(o.pos, bytesTotal)
			}
		}
		return store.Flush()
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	for _, sp := range p.sources {
		exploded := map[string]bool{}
		for _, other := range p.sources {
			if other != sp && other.spec.File == sp.spec.File && len(other.spec.Explode) > 0 {
				exploded[other.spec.Explode[0]] = true
			}
		}
		if !sp.validationOnly { // no mapping reads a column of a validation-only job: none is dropped
			stats[sp.spec.Name].findUnused(sp.mappings, exploded)
		}
		if w, ok := sp.reader.(interface{ Warnings() []string }); ok {
			stats[sp.spec.Name].Warnings = w.Warnings()
		}
	}
	return stats, readErr, nil
}

// entrySink is where the collector puts the entries, in row order: a spill and the rules' index
// (streamSink), for a dry run and a run alike; the run store (Store) takes them too, which the
// differential test of the rules uses. Its methods are called from the collector only.
type entrySink interface {
	Add(ctx context.Context, e Entry) error
	// Flush is called once, after the last Add.
	Flush() error
}

// The phases of an evaluation, as Options.Phase names them.
const (
	PhaseReading  = "reading"
	PhaseChecking = "checking keys and parents across rows"
	PhaseReports  = "writing reports"
)
