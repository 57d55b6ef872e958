package pipeline

import (
	"fmt"
	"time"

	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/spec"
)

// holdRunDir makes the run directory of opts (a new one when opts.RunDir is empty; a folder given
// must be new, empty or a bulkload run directory) and takes its lock, unless opts.Lock already
// holds it. It sets opts.RunDir and opts.Lock; release drops the lock if holdRunDir took it.
func (opts *Options) holdRunDir(job *spec.Job) (release func(), err error) {
	if opts.Lock != nil {
		if opts.RunDir == "" {
			opts.RunDir = opts.Lock.Dir()
		}
		if opts.RunDir != opts.Lock.Dir() {
			return nil, fmt.Errorf("run directory %s: the lock given is on %s", opts.RunDir, opts.Lock.Dir())
		}
		return func() {}, nil
	}
	dir, err := makeRunDir(job, opts.RunDir, opts.Now())
	if err != nil {
		return nil, err
	}
	lock, err := rundir.Hold(dir, opts.Command)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	opts.RunDir, opts.Lock = dir, lock
	return func() { lock.Release() }, nil
}

// holdExistingRunDir takes the lock of the run directory dir of an existing run, unless opts.Lock
// already holds it; release drops the lock if it took it. A folder without a run store is refused
// before anything is written into it.
func (opts *Options) holdExistingRunDir(dir string) (release func(), err error) {
	opts.RunDir = dir
	if opts.Lock != nil {
		return opts.holdRunDir(nil)
	}
	lock, err := rundir.HoldExisting(dir, opts.Command)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	opts.Lock = lock
	return func() { lock.Release() }, nil
}

// written are the names a run writes into its directory besides the run store and the lock.
var written = []string{report.ReportCSV, report.ReportJSONL, report.SummaryJSON, report.PayloadsDir, report.FixDir, report.ReconcileFile, ".reevaluated"}

// makeRunDir makes the run directory: dir, or a new one when dir is empty (rundir.Make). A
// directory the run cannot use is a *SetupError: nothing was read.
func makeRunDir(job *spec.Job, dir string, started time.Time) (string, error) {
	dir, err := rundir.Make(job, dir, started, written)
	if err != nil {
		return "", &SetupError{Err: err}
	}
	return dir, nil
}
