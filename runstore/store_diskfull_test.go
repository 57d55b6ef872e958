package runstore

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
)

// DiskFull recognises a write that failed for want of space, wrapped or not, and nothing else.
func TestDiskFullRecognised(t *testing.T) {
	tests := []struct {
		name string
		err  error
		full bool
	}{
		{name: "ENOSPC", err: &os.PathError{Op: "write", Path: "/runs/x/report.csv", Err: syscall.ENOSPC}, full: true},
		{name: "wrapped ENOSPC", err: fmt.Errorf("report: %w", &os.PathError{Op: "write", Path: "r", Err: syscall.ENOSPC}), full: true},
		{name: "SQLITE_FULL", err: fmt.Errorf("run store: %w", codedErr(13)), full: true},
		{name: "SQLITE_FULL extended", err: codedErr(13 | 256), full: true},
		{name: "SQLITE_BUSY", err: codedErr(5)},
		{name: "EACCES", err: syscall.EACCES},
		{name: "nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DiskFull("/runs/x", tc.err)
			var full *DiskFullError
			if errors.As(got, &full) != tc.full {
				t.Fatalf("DiskFull(%v) = %v, want full %v", tc.err, got, tc.full)
			}
			if !tc.full && got != tc.err {
				t.Errorf("DiskFull changed %v to %v", tc.err, got)
			}
			if tc.full && (full.Dir != "/runs/x" || !errors.Is(got, tc.err)) {
				t.Errorf("DiskFull(%v) = %+v: want the directory and the error kept", tc.err, full)
			}
		})
	}
}

// codedErr is an error with an SQLite result code, as the driver's errors have.
type codedErr int

func (c codedErr) Error() string { return fmt.Sprintf("sqlite error %d", int(c)) }
func (c codedErr) Code() int     { return int(c) }
