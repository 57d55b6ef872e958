package rundir

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockFile is the name of the run directory's lock file. The process that holds the run
// directory holds an exclusive OS lock on it (flock on Unix, LockFileEx on Windows) and writes
// who it is into it (Holder, JSON). The kernel drops the lock when the process ends, however
// it ends, so a killed run never leaves a stale lock; the file stays, and the next holder
// rewrites it.
const LockFile = "run.lock"

// Holder is what the holder of a run directory's lock says of itself in the lock file.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Started time.Time `json:"started"`
	Host    string    `json:"host,omitempty"`
}

// LockedError refuses a run directory another process holds. Holder is what that process wrote
// into the lock file (zero if it had not written it yet).
type LockedError struct {
	Dir    string
	Holder Holder
}

func (e *LockedError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("%s is in use by another bulkload process (it holds %s and has not said yet who it is): wait for it to end, or stop it", e.Dir, LockFile)
	}
	host := ""
	if h.Host != "" {
		host = " on " + h.Host
	}
	return fmt.Sprintf("%s is in use by another bulkload process: pid %d%s, `%s`, started %s: wait for it to end, or stop it",
		e.Dir, h.PID, host, h.Command, h.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
}

// Lock is the exclusive lock of one process on a run directory (Hold). Release it
// when done; it is not safe for concurrent use, except Check.
type Lock struct {
	dir  string
	f    *os.File
	held os.FileInfo // the lock file as it was locked
}

// Hold takes the exclusive lock on the existing directory dir for this process, at once or
// not at all: a directory another process holds is refused with a *LockedError naming it. Once
// locked, the lock file says who holds it: this process's id, command (the command line that
// started it, as given) and start time.
func Hold(dir, command string) (*Lock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("run directory lock: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, &LockedError{Dir: dir, Holder: readHolder(path)}
		}
		return nil, fmt.Errorf("run directory lock %s: %w", path, err)
	}
	l := &Lock{dir: dir, f: f}
	if l.held, err = f.Stat(); err == nil {
		err = l.writeHolder(command)
	}
	if err != nil {
		l.Release()
		return nil, fmt.Errorf("run directory lock %s: %w", path, err)
	}
	return l, nil
}

// writeHolder replaces the lock file's content with this process's Holder.
func (l *Lock) writeHolder(command string) error {
	host, _ := os.Hostname()
	b, err := json.Marshal(Holder{PID: os.Getpid(), Command: command, Started: time.Now().UTC().Truncate(time.Second), Host: host})
	if err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	_, err = l.f.WriteAt(append(b, '\n'), 0)
	return err
}

// readHolder reads what the holder of the lock file at path says of itself. A holder that has
// just locked may not have written it yet, so that the file still names the one before it (a
// process of this machine that has ended): it is given a moment.
func readHolder(path string) Holder {
	host, _ := os.Hostname()
	for range 25 {
		var h Holder
		if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &h) == nil && h.PID != 0 &&
			!(h.Host == host && processGone(h.PID)) {
			return h
		}
		time.Sleep(20 * time.Millisecond)
	}
	return Holder{}
}

// LostError is a run directory deleted, moved or replaced while a run held it: what the run
// records from then on goes nowhere anyone can find it.
type LostError struct {
	Dir string
	Why string
}

func (e *LostError) Error() string {
	return fmt.Sprintf("the run directory %s was %s while the run was going on: the run stopped sending and wrote no report, "+
		"its store being no longer at that path. If the directory was moved or replaced, put the original back and finish it with "+
		"bulkload run --resume %s; if it was deleted, what the run sent is known only to the target: check there before sending "+
		"those records again", e.Dir, e.Why, e.Dir)
}

// Check returns a *LostError when the run directory is no longer the one locked: the lock
// file at its path is gone or is another file (the directory was deleted, moved or replaced).
// It is safe to call from any goroutine while the lock is held.
func (l *Lock) Check() error {
	now, err := os.Stat(filepath.Join(l.dir, LockFile))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &LostError{Dir: l.dir, Why: "deleted or moved"}
	case err != nil:
		return &LostError{Dir: l.dir, Why: "made unreadable (" + err.Error() + ")"}
	case !os.SameFile(now, l.held):
		return &LostError{Dir: l.dir, Why: "replaced by another directory"}
	}
	return nil
}

// Dir is the directory locked.
func (l *Lock) Dir() string { return l.dir }

// Release drops the lock; the lock file stays. Releasing a nil lock does nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor drops the lock
	l.f = nil
	return err
}
