package runstore

import (
	"errors"
	"fmt"
	"os"
)

// Replace puts the closed run store at from in place of the closed one at path: the write-ahead
// log and shared memory of path are removed (they belong to the store replaced), then from is
// renamed to path. Until the rename the store at path stays as it was, so a crash leaves one or
// the other whole.
func Replace(path, from string) error {
	if err := errors.Join(RemoveFiles(path+"-wal"), RemoveFiles(path+"-shm")); err != nil {
		return err
	}
	if err := os.Rename(from, path); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	return nil
}
