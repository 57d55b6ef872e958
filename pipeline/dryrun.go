package pipeline

import (
	"context"
	"runtime"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
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
	// Lock, if not nil, is the caller's lock on RunDir (rundir.Hold), held until the run returns;
	// nil: the run takes the lock itself and releases it when it returns. Either way a second
	// process cannot use the directory meanwhile.
	Lock *rundir.Lock
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
	Summary *report.Summary
}

// DryRun reads, types, validates and maps every row of the job, applies the cross-row rules,
// and writes the run directory: the run store (the run's facts, no records), report.csv,
// report.jsonl, summary.json, the request bodies that would be sent (payloads/) and a fix file
// per source with invalid rows (fix/). Nothing is sent. A *SetupError means nothing was read; a
// *ReadError comes with the Outcome of the rows read before it.
func DryRun(ctx context.Context, job *spec.Job, opts Options) (*Outcome, error) {
	opts = opts.withDefaults()
	release, err := opts.holdRunDir(job)
	if err != nil {
		return nil, err
	}
	defer release()
	b, err := begin(ctx, job, opts, report.DryRun)
	if err != nil {
		return nil, err
	}
	defer b.close()
	if err := b.store.Close(); err != nil { // the run's facts only: no record goes into it
		return nil, err
	}
	opts.Phase(PhaseReading)
	stats, readErr, err := sinkAll(ctx, b.job, b.sink, false, opts, nil)
	if err != nil {
		return nil, err
	}
	opts.Phase(PhaseChecking)
	each, am, err := b.sink.Resolve()
	if err != nil {
		return nil, err
	}
	run := report.Run{Job: job, Dir: b.dir, Mode: report.DryRun, Started: b.started, Notes: am.Notes}
	if readErr != nil {
		run.Aborted = readErr
	}
	if err := opts.reporting(); err != nil {
		return nil, err
	}
	return writeReports(ctx, opts, run, stats, each)
}

// evaluated is a job whose rows have all been read, typed, validated, mapped and stored, with the
// cross-row rules applied and put into the run store: what a run sends.
type evaluated struct {
	job     *spec.Job
	dir     string
	store   *runstore.Store
	stats   map[string]*evaluate.SourceStats
	readErr *ReadError
	pending int // the records put pending (evaluateJob's pending)
	started time.Time
	mode    string
	conc    *record.Concurrency // what the requests in flight were, once sent
	// remapper maps a child again with its parent's result, with the mappings compiled for
	// the evaluation; rows are, for an Onix Work run, the typed rows of the records it must
	// remap (a resumed run reads them from the store instead), held until the run ends.
	remapper *evaluate.Remapper
	rows     evaluate.Rows
}

// evaluateJob prepares the job, makes the run directory and its store, evaluates every row as a
// dry run does (a spill and the rules' index), putting the records into the store as they are
// evaluated (runstore.Loading) and then the rules' amendments: the store holds their final
// statuses, the valid ones pending when pending is set and every source was read to its end.
// The caller closes ev.store.
func evaluateJob(ctx context.Context, job *spec.Job, opts Options, mode string, pending bool) (*evaluated, error) {
	b, err := begin(ctx, job, opts, mode)
	if err != nil {
		return nil, err
	}
	defer b.close()
	b.store.SendWithoutChildren(job)
	ev := &evaluated{job: job, dir: b.dir, store: b.store, started: b.started, mode: mode, remapper: b.job.Remapper()}
	var keep func(evaluate.Entry)
	if mode == "run" && job.Target.Kind == spec.OnixWork { // the only target that remaps
		ev.rows = evaluate.Rows{}
		keep = ev.rows.Keep
	}
	load, err := b.store.StartLoading(ctx, pending)
	if err != nil {
		b.store.Close()
		return nil, err
	}
	b.sink.Feed(load.Put)
	opts.Phase(PhaseReading)
	ev.stats, ev.readErr, err = sinkAll(ctx, b.job, b.sink, true, opts, keep)
	if err == nil {
		opts.Phase(PhaseChecking)
		ev.pending, err = load.Finish(ctx, b.sink, ev.readErr == nil)
	}
	if err != nil {
		_ = load.Stop() // an error of its own is in err already (Put's, Finish's)
		b.store.Close()
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
	if err := opts.reporting(); err != nil {
		return nil, err
	}
	notes, err := ev.store.DependencyNotes(ctx)
	if err != nil {
		return nil, err
	}
	t, err := report.NewTracer(ctx, ev.job, storeEach(ctx, ev.store, answered))
	if err != nil {
		return nil, err
	}
	run := report.Run{Job: ev.job, Dir: ev.dir, Mode: ev.mode, Started: ev.started, Aborted: stopped, Concurrency: ev.conc, Notes: notes}
	return writeReports(ctx, opts, run, ev.stats, t.Each(storeEach(ctx, ev.store, runstore.Selection{})))
}

// ReadError is a source that could not be read to its end (a truncated file, malformed XML).
// DryRun returns it with an Outcome whose reports cover the rows read before it
// (evaluate.ReadError).
type ReadError = evaluate.ReadError

// The phases of an evaluation, as Options.Phase names them.
const (
	PhaseReading  = "reading"
	PhaseChecking = "checking keys and parents across rows"
	PhaseReports  = "writing reports"
)
