package pipeline

import (
	"context"
	"path/filepath"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// newSink returns the sink of the records of job's evaluation (runstore.Sink), spilled into the
// run directory dir.
func newSink(dir string, job *spec.Job) (*runstore.Sink, error) {
	opts := runstore.OptionsFor(job)
	opts.SpillDir, opts.Refs = dir, onkey.ConverterRefs
	return runstore.NewSink(opts)
}

// dryRunStreaming is DryRun's evaluation and reports: no record goes into the run store, which
// holds the run's facts only (job, spec, mode, start, source files).
func dryRunStreaming(ctx context.Context, job *spec.Job, opts Options) (*Outcome, error) {
	p, err := evaluate.Prepare(job)
	if err != nil {
		return nil, fromEvaluate(err)
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
	store, err := createStore(ctx, dir, map[string]string{"job": job.Name, "spec": specPath, "mode": "dry-run",
		"started": started.UTC().Format(time.RFC3339), rundir.MetaSourceFiles: rundir.EncodeSourceFiles(job)})
	if err != nil {
		return nil, err
	}
	if err := store.Close(); err != nil {
		return nil, err
	}
	sink, err := newSink(dir, job)
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	opts.Phase(PhaseReading)
	stats, readErr, err := sinkAll(ctx, p, sink, false, opts, nil)
	if err != nil {
		return nil, err
	}
	opts.Phase(PhaseChecking)
	each, am, err := sink.Resolve()
	if err != nil {
		return nil, err
	}
	var stopped error
	if readErr != nil {
		stopped = readErr
	}
	if opts.Lock != nil {
		if err := opts.Lock.Check(); err != nil {
			return nil, err // the reports would go to another directory, or nowhere
		}
	}
	opts.Phase(PhaseReports)
	run := reportRun{job: job, dir: dir, mode: "dry-run", stats: stats, started: started, finished: opts.Now(),
		aborted: stopped, notes: am.Notes}
	sum, err := writeReports(ctx, run, each)
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: dir, Summary: sum}, stopped
}
