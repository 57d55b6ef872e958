package rundir_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/rundir"
)

// Check says when the locked directory is deleted, moved or replaced.
func TestRunDirLockCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		lose func(dir string) error
		says string
	}{
		{"kept", func(string) error { return nil }, ""},
		{"deleted", os.RemoveAll, "was deleted or moved while the run was going on"},
		{"moved", func(dir string) error { return os.Rename(dir, dir+".moved") }, "was deleted or moved"},
		{"replaced", func(dir string) error {
			if err := os.Rename(dir, dir+".old"); err != nil {
				return err
			}
			if err := os.Mkdir(dir, 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rundir.LockFile), nil, 0o644)
		}, "was replaced by another directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			lock, err := rundir.Hold(dir, "bulkload run job.yaml")
			if err != nil {
				t.Fatal(err)
			}
			defer lock.Release()
			if err := tc.lose(dir); err != nil {
				t.Fatal(err)
			}
			err = lock.Check()
			var lost *rundir.LostError
			switch {
			case tc.says == "" && err != nil:
				t.Errorf("Check: %v", err)
			case tc.says != "" && (!errors.As(err, &lost) || !strings.Contains(err.Error(), tc.says)):
				t.Errorf("Check: %v, want a *rundir.LostError saying %q", err, tc.says)
			}
		})
	}
}
