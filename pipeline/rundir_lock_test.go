package pipeline_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/sandbox"
)

// A run directory is held by one lock at a time, even within one process: a second LockRunDir,
// Resume or Reconcile is refused with a *LockedError naming the holder as its lock file says
// (pid, command, start); once released, it can be taken again.
func TestLockRunDirRefusesSecondHolder(t *testing.T) {
	r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), 20, 10, 2, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	lock, err := pipeline.LockRunDir(r.dir, "bulkload run --resume 'my run'")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, pipeline.LockFile))
	if err != nil {
		t.Fatal(err)
	}
	var h pipeline.LockHolder
	if err := json.Unmarshal(data, &h); err != nil || h.PID != os.Getpid() || h.Command != "bulkload run --resume 'my run'" ||
		time.Since(h.Started) > time.Minute {
		t.Errorf("the lock file holds %s (%v), want this process's pid, command and start", data, err)
	}
	job, getenv := recordedJob(t, r)
	before := len(r.sb.Requests())
	for name, try := range map[string]func() error{
		"LockRunDir": func() error { _, err := pipeline.LockRunDir(r.dir, "x"); return err },
		"Resume":     func() error { _, err := resume(t, r, pipeline.ResumeOptions{}); return err },
		"Reconcile": func() error {
			_, err := pipeline.Reconcile(t.Context(), job, r.dir, pipeline.RunOptions{Getenv: getenv})
			return err
		},
		"Run --out": func() error {
			_, err := pipeline.Run(t.Context(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: r.dir}, Getenv: getenv})
			return err
		},
	} {
		err := try()
		var locked *pipeline.LockedError
		if !errors.As(err, &locked) || locked.Holder.PID != os.Getpid() {
			t.Errorf("%s while the directory is held: %v, want a *LockedError naming pid %d", name, err, os.Getpid())
			continue
		}
		if want := fmt.Sprintf("pid %d", os.Getpid()); !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "`bulkload run --resume 'my run'`, started ") {
			t.Errorf("%s: %v; want it to name %s and the command", name, err, want)
		}
	}
	if sent := len(r.sb.Requests()) - before; sent != 0 {
		t.Errorf("%d requests reached the sandbox while the directory was held", sent)
	}
	if err := lock.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := resume(t, r, pipeline.ResumeOptions{}); err != nil {
		t.Errorf("resume once the lock is released: %v", err)
	}
}

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
			return os.WriteFile(filepath.Join(dir, pipeline.LockFile), nil, 0o644)
		}, "was replaced by another directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			lock, err := pipeline.LockRunDir(dir, "bulkload run job.yaml")
			if err != nil {
				t.Fatal(err)
			}
			defer lock.Release()
			if err := tc.lose(dir); err != nil {
				t.Fatal(err)
			}
			err = lock.Check()
			var lost *pipeline.DirLostError
			switch {
			case tc.says == "" && err != nil:
				t.Errorf("Check: %v", err)
			case tc.says != "" && (!errors.As(err, &lost) || !strings.Contains(err.Error(), tc.says)):
				t.Errorf("Check: %v, want a *DirLostError saying %q", err, tc.says)
			}
		})
	}
}
