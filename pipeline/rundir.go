package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bulkload/bulkload/runstore"
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
	lock, err := LockRunDir(dir, opts.Command)
	if err != nil {
		return nil, &SetupError{err}
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
	if _, err := os.Stat(filepath.Join(dir, StoreFile)); err != nil {
		return nil, &SetupError{fmt.Errorf("%s is not a run directory (no %s in it)", dir, StoreFile)}
	}
	lock, err := LockRunDir(dir, opts.Command)
	if err != nil {
		return nil, &SetupError{err}
	}
	opts.Lock = lock
	return func() { lock.Release() }, nil
}

// LockExistingRunDir takes the lock of the run directory dir of an existing run (see
// LockRunDir), refusing a folder without a run store before writing anything into it.
func LockExistingRunDir(dir, command string) (*RunDirLock, error) {
	opts := Options{Command: command}
	if _, err := opts.holdExistingRunDir(dir); err != nil {
		return nil, err
	}
	return opts.Lock, nil
}

// runDirNames are the names bulkload writes into a run directory.
var runDirNames = []string{StoreFile, StoreFile + "-wal", StoreFile + "-shm", StoreFile + ".new", StoreFile + ".new-wal",
	StoreFile + ".new-shm", runstore.MarksFile, LockFile, ReportCSV, ReportJSONL, SummaryJSON, PayloadsDir, FixDir, ReconcileFile, ".reevaluated"}

// checkOutDir refuses (*SetupError) a folder given as the run directory that exists and is
// neither empty nor a bulkload run directory: the reports would replace the user's files of the
// same names. A run directory is one with a lock file, or a run store; checkOutDir reads only.
func checkOutDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &SetupError{fmt.Errorf("run directory: %w", err)}
	}
	if len(entries) == 0 || isRunDir(dir) {
		return nil
	}
	var names, clash []string
	for _, e := range entries {
		names = append(names, e.Name())
		if slices.Contains(runDirNames, e.Name()) || strings.HasPrefix(e.Name(), ".tmp-") {
			clash = append(clash, e.Name())
		}
	}
	what := fmt.Sprintf("%d entries, e.g. %s", len(names), strings.Join(names[:min(3, len(names))], ", "))
	if len(clash) > 0 {
		what = fmt.Sprintf("%s, which a run would replace", strings.Join(clash, ", "))
	}
	return &SetupError{fmt.Errorf("%s is neither empty nor a bulkload run directory (it holds %s): choose a new or empty folder for --out; nothing was changed in it", dir, what)}
}

// isRunDir says whether dir holds a bulkload run: a lock file, or a SQLite run store.
func isRunDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err == nil {
		return true
	}
	f, err := os.Open(filepath.Join(dir, StoreFile))
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 16)
	_, err = io.ReadFull(f, magic)
	return err == nil && bytes.Equal(magic, []byte("SQLite format 3\x00"))
}

// NewRunDir creates the run directory of a run of job started at started when none is given,
// beside the spec: <report.dir>/<job name>-<UTC time to the millisecond> (RunDirStamp), so that
// the names of a job's run directories sort in the order they were made. A run starting in a
// millisecond another run's directory already has takes the next free millisecond: every run gets
// a directory of its own, named after every directory made before it. It then points the job's
// latest link at it (LatestLink).
func NewRunDir(job *spec.Job, started time.Time) (string, error) {
	base := job.Report.Dir
	if !filepath.IsAbs(base) {
		base = filepath.Join(job.Dir, base)
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", &SetupError{fmt.Errorf("run directory: %w", err)}
	}
	stamp := started.UTC().Truncate(time.Millisecond)
	for {
		dir := filepath.Join(base, job.Name+"-"+stamp.Format(RunDirStamp))
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			if err := linkLatest(base, job.Name, dir); err != nil {
				_ = os.Remove(dir)
				return "", &SetupError{err}
			}
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", &SetupError{fmt.Errorf("run directory: %w", err)}
		}
		stamp = stamp.Add(time.Millisecond)
	}
}

// makeRunDir creates the run directory: dir, or a new one (NewRunDir) when dir is empty. A dir
// that exists must be empty or a run directory (checkOutDir).
func makeRunDir(job *spec.Job, dir string, started time.Time) (string, error) {
	if dir == "" {
		return NewRunDir(job, started)
	}
	if err := checkOutDir(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("run directory: %w", err)
	}
	return dir, nil
}
