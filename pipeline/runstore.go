package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
)

// The run store's types under the names pipeline's files use: transitional aliases, as
// status.go's are for record; new code uses runstore.* and record.* directly.
type (
	Store             = runstore.Store
	StoreDamagedError = runstore.DamagedError
	DiskFullError     = runstore.DiskFullError
	Sendable          = runstore.Sendable
	RecordOutcome     = runstore.Outcome
	RowRef            = record.RowRef
	StoredRecord      = record.Entry
)

// StoreFile is the run store's file name inside the run directory.
const StoreFile = runstore.FileName

// OpenStore opens (creating if needed) the run store at path (runstore.Open).
func OpenStore(ctx context.Context, path string) (*Store, error) {
	return runstore.Open(ctx, path)
}

// DiskFull returns err as a *DiskFullError of the run directory dir when it is a write that failed
// for want of space, else err unchanged (runstore.DiskFull).
func DiskFull(dir string, err error) error { return runstore.DiskFull(dir, err) }

// createStore makes the run store of a new run in dir with the facts in meta, and opens it
// (runstore.Create); a directory whose store records were sent from is a *SetupError.
func createStore(ctx context.Context, dir string, meta map[string]string) (*Store, error) {
	s, err := runstore.Create(ctx, dir, meta)
	if sent := new(runstore.SentError); errors.As(err, &sent) {
		return nil, &SetupError{err}
	}
	return s, err
}
