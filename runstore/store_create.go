package runstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Create makes the run store of a new run in dir with the facts in meta, and opens it. The
// store appears under its name only once its meta is committed (it is built under another name
// and renamed), so a run store found in a run directory always says what run it belongs to.
//
// A store already in dir is replaced (at once, by the rename) when nothing was sent from it (a
// dry run, or a run stopped while evaluating); one from which records were sent is kept, and
// Create refuses with a *SentError: that run must be resumed, or another directory chosen.
func Create(ctx context.Context, dir string, meta map[string]string) (*Store, error) {
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err == nil {
		old, err := Open(ctx, path)
		if err != nil {
			return nil, err
		}
		phase, err := old.Meta(ctx, MetaPhase)
		if err = errors.Join(err, old.Close()); err != nil {
			return nil, err
		}
		if phase == PhaseSending {
			return nil, &SentError{Dir: dir}
		}
		// Closed, it has no write-ahead log left; the new store replaces it below, in one rename.
	}
	building := filepath.Join(dir, FileName+".new")
	if err := RemoveFiles(building); err != nil {
		return nil, err
	}
	s, err := Open(ctx, building)
	if err != nil {
		return nil, err
	}
	for k, v := range meta {
		if err := s.SetMeta(ctx, k, v); err != nil {
			s.Close()
			return nil, err
		}
	}
	// Closing the last connection checkpoints the write-ahead log into the file, which can then
	// move alone.
	if err := s.Close(); err != nil {
		return nil, err
	}
	if err := errors.Join(RemoveFiles(path+"-wal"), RemoveFiles(path+"-shm"), RemoveFiles(path+"-marks")); err != nil {
		return nil, err
	}
	if err := os.Rename(building, path); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	return Open(ctx, path)
}

// SentError refuses to create a run store in a directory whose store records were sent from.
type SentError struct{ Dir string }

func (e *SentError) Error() string {
	return fmt.Sprintf("%s already holds a run that sent records: finish it with bulkload run --resume %s, or choose another --out", e.Dir, e.Dir)
}

// RemoveFiles deletes the SQLite database at path with its write-ahead log and shared memory.
func RemoveFiles(path string) error {
	var errs []error
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
