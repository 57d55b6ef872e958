package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// probe says whether another process holds the lock of the run directory dir, and who it says
// it is, without writing anything into the directory: it opens the lock file for reading and
// tries the lock. When the lock is free it is held from then on, by the returned file, until that
// file is closed: a caller that only looks closes it at once; one that deletes the directory
// (Prune) keeps it so that no run can take the directory meanwhile. A directory without a
// lock file has never been locked: free, with no file.
func probe(dir string) (held bool, holder Holder, f *os.File, err error) {
	path := filepath.Join(dir, LockFile)
	f, err = os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, Holder{}, nil, nil
	}
	if err != nil {
		return false, Holder{}, nil, fmt.Errorf("run directory lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return true, readHolder(path), nil, nil
		}
		return false, Holder{}, nil, fmt.Errorf("run directory lock %s: %w", path, err)
	}
	return false, Holder{}, f, nil
}
