package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// begun is an evaluation set up: the prepared job, its run directory, the run store there
// holding the run's facts (job, spec, mode, start, source files) and the sink of its records.
type begun struct {
	job     *evaluate.Job
	dir     string
	store   *runstore.Store
	sink    *runstore.Sink
	started time.Time
}

// begin prepares job and makes its run directory (opts.RunDir, or a new one), its run store of
// mode and the sink of its records (runstore.Sink, spilled into the directory). The caller calls
// close and closes store; on an error nothing is left open. A *SetupError means nothing was read.
func begin(ctx context.Context, job *spec.Job, opts Options, mode string) (_ *begun, err error) {
	p, err := evaluate.Prepare(job)
	if err != nil {
		return nil, err
	}
	b := &begun{job: p, started: opts.Now()}
	defer func() {
		if err != nil {
			b.close()
			if b.store != nil {
				b.store.Close()
			}
		}
	}()
	if b.dir, err = makeRunDir(job, opts.RunDir, b.started); err != nil {
		return nil, err
	}
	specPath, err := filepath.Abs(job.File)
	if err != nil {
		return nil, err
	}
	b.store, err = runstore.Create(ctx, b.dir, map[string]string{"job": job.Name, "spec": specPath, "mode": mode,
		"started": b.started.UTC().Format(time.RFC3339), rundir.MetaSourceFiles: rundir.EncodeSourceFiles(job)})
	if sent := new(runstore.SentError); errors.As(err, &sent) {
		return nil, &SetupError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	sinkOpts := runstore.OptionsFor(job)
	sinkOpts.SpillDir, sinkOpts.Refs = b.dir, onkey.ConverterRefs
	if b.sink, err = runstore.NewSink(sinkOpts); err != nil {
		return nil, err
	}
	return b, nil
}

// close releases the prepared job and the sink.
func (b *begun) close() {
	if b.sink != nil {
		b.sink.Close()
	}
	b.job.Close()
}

// sinkAll consumes the evaluation of every row (evaluate.Job.Stream, opts.Workers goroutines):
// it gives each row's records to sink in the order the rows were read, so that reports are
// deterministic, and tells opts of the progress. withEnv puts into each record whose mapping
// reads its parent's result the typed row it was mapped from (Env, evaluate.Entry.Sinkable), for
// the run store of a run. A source that cannot be read on stops the reading (readErr); the rows
// read before it are still given. keep, if not nil, is told each record whose mapping reads its
// parent's result, for a run to map it again once the parent is sent.
func sinkAll(ctx context.Context, p *evaluate.Job, sink *runstore.Sink, withEnv bool, opts Options, keep func(evaluate.Entry)) (stats map[string]*evaluate.SourceStats, readErr *ReadError, err error) {
	stats, readErr, err = p.Stream(ctx, opts.Workers, func(r evaluate.Result) error {
		for _, e := range r.Entries {
			rec, err := e.Sinkable(withEnv)
			if err == nil {
				err = sink.Add(&rec)
			}
			if err != nil {
				return err
			}
			if keep != nil && e.Remap != nil {
				keep(e)
			}
		}
		opts.Progress(1)
		opts.Bytes(r.Read, r.Total)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return stats, readErr, nil
}

// reporting is told that the reports are about to be written: it checks that the run still holds
// its directory (the reports would go to another directory, or nowhere) and tells opts the phase.
func (opts Options) reporting() error {
	if opts.Lock != nil {
		if err := opts.Lock.Check(); err != nil {
			return err
		}
	}
	opts.Phase(PhaseReports)
	return nil
}

// writeReports writes every report of run, finished now, from each (report.Write, its entries in
// seq order) with the sources of stats, and returns the outcome with run.Aborted.
func writeReports(ctx context.Context, opts Options, run report.Run, stats map[string]*evaluate.SourceStats, each report.Each) (*Outcome, error) {
	run.Sources, run.Finished = map[string]*report.SourceSummary{}, opts.Now()
	for name, st := range stats {
		run.Sources[name] = &report.SourceSummary{Rows: st.Rows, UnusedColumns: st.Unused, Warnings: st.Warnings}
	}
	sum, err := report.Write(ctx, run, each)
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: run.Dir, Summary: sum}, run.Aborted
}

// answered selects the records whose messages may hold the target's answer (report.NewTracer).
var answered = runstore.Selection{Statuses: []record.Status{record.Failed, record.Unknown, record.Succeeded}, HasMessages: true}

// storeEach is the Each of the records of store that sel selects, in seq order.
func storeEach(ctx context.Context, store *runstore.Store, sel runstore.Selection) report.Each {
	return func(fn func(*record.Entry) error) error {
		return store.Records(ctx, sel, func(e record.Entry) error { return fn(&e) })
	}
}
