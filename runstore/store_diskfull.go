package runstore

import (
	"errors"
	"fmt"
	"syscall"
)

// sqliteFull is SQLite's primary result code SQLITE_FULL ("database or disk is full").
const sqliteFull = 13

// DiskFullError is a run stopped because the disk that holds its run directory is full. Nothing
// is lost: the run store keeps what the run did up to its last commit, records marked as being
// sent whose outcome could not be written are checked with the target on resume, and a run
// stopped before sending sent nothing.
type DiskFullError struct {
	Dir string // the run directory
	Err error  // the failed write
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("the disk that holds %s is full (%v); nothing is lost: the run store keeps every outcome written before, and the records whose outcome could not be written are checked with the target when the run is resumed",
		e.Dir, e.Err)
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// DiskFull returns err as a *DiskFullError of the run directory dir when it is a write that failed
// for want of space (ENOSPC, or SQLite's SQLITE_FULL), else err unchanged.
func DiskFull(dir string, err error) error {
	if err == nil || errors.As(err, new(*DiskFullError)) {
		return err
	}
	var coded interface{ Code() int }
	if errors.Is(err, syscall.ENOSPC) || (errors.As(err, &coded) && coded.Code()&0xff == sqliteFull) {
		return &DiskFullError{Dir: dir, Err: err}
	}
	return err
}
