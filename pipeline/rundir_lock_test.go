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
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/sandbox"
)

// A run directory is held by one lock at a time, even within one process: a second rundir.Hold,
// Resume or Reconcile is refused with a *LockedError naming the holder as its lock file says
// (pid, command, start); once released, it can be taken again.
func TestLockRunDirRefusesSecondHolder(t *testing.T) {
	r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), 20, 10, 2, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	lock, err := rundir.Hold(r.dir, "bulkload run --resume 'my run'")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, rundir.LockFile))
	if err != nil {
		t.Fatal(err)
	}
	var h rundir.Holder
	if err := json.Unmarshal(data, &h); err != nil || h.PID != os.Getpid() || h.Command != "bulkload run --resume 'my run'" ||
		time.Since(h.Started) > time.Minute {
		t.Errorf("the lock file holds %s (%v), want this process's pid, command and start", data, err)
	}
	job, getenv := recordedJob(t, r)
	before := len(r.sb.Requests())
	for name, try := range map[string]func() error{
		"rundir.Hold": func() error { _, err := rundir.Hold(r.dir, "x"); return err },
		"Resume":      func() error { _, err := resume(t, r, pipeline.ResumeOptions{}); return err },
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
		var locked *rundir.LockedError
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
