package rundir

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

// storeNames are the names the run store's files have in a run directory.
var storeNames = []string{runstore.FileName, runstore.FileName + "-wal", runstore.FileName + "-shm",
	runstore.FileName + ".new", runstore.FileName + ".new-wal", runstore.FileName + ".new-shm", runstore.MarksFile}

// CheckOut refuses a folder given as the run directory that exists and is neither empty nor a
// bulkload run directory (Is): the run would replace the user's files of the same names. The
// error names the entries a run would replace (the run store's files, the lock file, the
// temporary files, and written: what else the run writes), or, when none, a few of the entries.
// It returns nil for a folder that does not exist. CheckOut reads only.
func CheckOut(dir string, written []string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if len(entries) == 0 || Is(dir) {
		return nil
	}
	var names, clash []string
	for _, e := range entries {
		names = append(names, e.Name())
		if slices.Contains(storeNames, e.Name()) || e.Name() == LockFile || slices.Contains(written, e.Name()) ||
			strings.HasPrefix(e.Name(), ".tmp-") {
			clash = append(clash, e.Name())
		}
	}
	what := fmt.Sprintf("%d entries, e.g. %s", len(names), strings.Join(names[:min(3, len(names))], ", "))
	if len(clash) > 0 {
		what = fmt.Sprintf("%s, which a run would replace", strings.Join(clash, ", "))
	}
	return fmt.Errorf("%s is neither empty nor a bulkload run directory (it holds %s): choose a new or empty folder for --out; nothing was changed in it", dir, what)
}

// Is says whether dir holds a bulkload run: a lock file, or a SQLite run store.
func Is(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err == nil {
		return true
	}
	f, err := os.Open(filepath.Join(dir, runstore.FileName))
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 16)
	_, err = io.ReadFull(f, magic)
	return err == nil && bytes.Equal(magic, []byte("SQLite format 3\x00"))
}

// New creates the run directory of a run of job started at started, beside the spec:
// <report.dir>/<job name>-<UTC time to the millisecond> (Stamp), so that the names of a job's
// run directories sort in the order they were made. A run starting in a millisecond another
// run's directory already has takes the next free millisecond: every run gets a directory of its
// own, named after every directory made before it. It then points the job's latest link at it
// (LatestLink). An error means no directory was made.
func New(job *spec.Job, started time.Time) (string, error) {
	base := job.Report.Dir
	if !filepath.IsAbs(base) {
		base = filepath.Join(job.Dir, base)
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("run directory: %w", err)
	}
	stamp := started.UTC().Truncate(time.Millisecond)
	for {
		dir := filepath.Join(base, job.Name+"-"+stamp.Format(Stamp))
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			if err := linkLatest(base, job.Name, dir); err != nil {
				_ = os.Remove(dir)
				return "", err
			}
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("run directory: %w", err)
		}
		stamp = stamp.Add(time.Millisecond)
	}
}

// Make makes the run directory of a run of job started at started: a new one (New) when dir is
// "", else dir, which must not exist, or be empty, or be a run directory (CheckOut, with written
// the names the run writes into it besides its store and lock). An error means the run cannot
// use the directory; nothing was changed in a folder that was refused.
func Make(job *spec.Job, dir string, started time.Time, written []string) (string, error) {
	if dir == "" {
		return New(job, started)
	}
	if err := CheckOut(dir, written); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("run directory: %w", err)
	}
	return dir, nil
}

// HoldExisting takes the lock of the run directory dir of an existing run (see Hold), refusing a
// folder without a run store before writing anything into it.
func HoldExisting(dir, command string) (*Lock, error) {
	if _, err := os.Stat(filepath.Join(dir, runstore.FileName)); err != nil {
		return nil, fmt.Errorf("%s is not a run directory (no %s in it)", dir, runstore.FileName)
	}
	return Hold(dir, command)
}
