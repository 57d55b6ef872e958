package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// runsFolder is a job folder whose runs/ holds, oldest first: three dry runs (the first of them
// held by a lock as a running process holds it), a finished run, an interrupted run (stopped while
// sending, records pending) and one more dry run; beside them a folder named like a run directory
// that is none, and another job's dry run.
type runsFolder struct {
	job  *spec.Job
	base string
	dirs []string // the job's run directories, in the order they were made
	held *rundir.Lock
	sb   *sandbox.Server
}

func makeRunsFolder(t *testing.T) runsFolder {
	t.Helper()
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 5 * time.Millisecond
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	files, env := rowsJob(createsJob, cfg, 200, 10, 2, "PerRecord", plainDesc, nil)
	env["SANDBOX_URL"] = sb.URL()
	folder := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(folder, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(folder, "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	f := runsFolder{job: job, base: filepath.Join(folder, "runs"), sb: sb}
	dry := func() {
		out, err := pipeline.DryRun(t.Context(), job, pipeline.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f.dirs = append(f.dirs, out.RunDir)
	}
	send := func(ro pipeline.RunOptions) error {
		ro.Getenv = func(k string) string { return env[k] }
		out, err := pipeline.Run(t.Context(), job, ro)
		if out != nil {
			f.dirs = append(f.dirs, out.RunDir)
		}
		return err
	}
	dry()
	dry()
	dry()
	if err := send(pipeline.RunOptions{}); err != nil {
		t.Fatalf("the finished run: %v", err)
	}
	stop := make(chan struct{})
	var once sync.Once
	if err := send(pipeline.RunOptions{Stop: stop, Sent: func(int) { once.Do(func() { close(stop) }) }}); !errors.Is(err, pipeline.Interrupted) {
		t.Fatalf("the interrupted run: %v, want Interrupted", err)
	}
	dry()
	if f.held, err = rundir.Hold(f.dirs[0], "bulkload validate job.yaml"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.held.Release() })
	// Named like a run directory of the job, but the user's: no store, no lock.
	if err := os.MkdirAll(filepath.Join(f.base, "types-20200101T000000.000Z"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.base, "types-20200101T000000.000Z", "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := *job
	other.Name = "other"
	if _, err := pipeline.DryRun(t.Context(), &other, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	return f
}

// The listing of a job's runs: its run directories only, oldest first, each with its mode, state,
// counts, start and size; the running one as running with the holder's pid, the interrupted one
// marked for --resume. Listing writes nothing: no file appears in or beside any store, and the
// held lock file still names its holder.
func TestListRuns(t *testing.T) {
	f := makeRunsFolder(t)
	before := snapshot(t, f.base)
	runs, err := rundir.List(t.Context(), f.base, "types")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range runs {
		names = append(names, r.Dir)
	}
	if !slices.Equal(names, f.dirs) {
		t.Fatalf("listed %q, want the job's run directories in the order made %q", names, f.dirs)
	}
	want := []struct {
		mode, state  string
		sent, resume bool
	}{
		{"dry-run", rundir.StateRunning, false, false},
		{"dry-run", rundir.StateFinished, false, false},
		{"dry-run", rundir.StateFinished, false, false},
		{"run", rundir.StateFinished, true, false},
		{"run", rundir.StateInterrupted, true, true},
		{"dry-run", rundir.StateFinished, false, false},
	}
	for i, w := range want {
		r := runs[i]
		if r.Mode != w.mode || r.State != w.state || r.Sent != w.sent || r.Resume != w.resume || r.Job != "types" {
			t.Errorf("%s: job %q mode %q state %q sent %v resume %v; want types %s %s %v %v (%s)", r.Name, r.Job, r.Mode, r.State,
				r.Sent, r.Resume, w.mode, w.state, w.sent, w.resume, r.Problem)
		}
		if r.Records["total"] != 200 || r.SizeBytes <= 0 || r.Started.IsZero() {
			t.Errorf("%s: %v records, %d bytes, started %v; want 200, a size and a start", r.Name, r.Records, r.SizeBytes, r.Started)
		}
	}
	if got := runs[0].StateText(); got != "running (pid "+itoa(os.Getpid())+")" {
		t.Errorf("the held run is shown as %q", got)
	}
	if r := runs[1]; r.Records[string(record.Valid)] != 200 {
		t.Errorf("dry run counts %v, want 200 valid", r.Records)
	}
	if r := runs[3]; r.Records[string(record.Succeeded)] != 200 || r.Resumable {
		t.Errorf("finished run: counts %v, resumable %v; want 200 succeeded, not resumable", r.Records, r.Resumable)
	}
	if r := runs[4]; r.Records[string(record.Pending)] == 0 || !r.Resumable {
		t.Errorf("interrupted run: counts %v, resumable %v; want some pending, resumable", r.Records, r.Resumable)
	}
	if c := changes(before, snapshot(t, f.base)); c != nil {
		t.Errorf("listing changed the runs folder: %q", c)
	}
	all, err := rundir.List(t.Context(), f.base, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(f.dirs)+1 {
		t.Errorf("every run directory in runs/: %d listed, want %d (the job's and the other job's, not the user's folder)", len(all), len(f.dirs)+1)
	}
}

// Pruning keeps the newest N dry runs of each job and deletes the older ones, except one whose
// lock is held; never a run that sent (finished or interrupted), another job's newest dry run or
// a folder that is no run directory. With dryRun it deletes nothing and says the same.
func TestPruneRuns(t *testing.T) {
	f := makeRunsFolder(t)
	before := snapshot(t, f.base)
	p, err := rundir.Prune(t.Context(), f.base, "", 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if c := changes(before, snapshot(t, f.base)); c != nil {
		t.Errorf("prune --dry-run changed the runs folder: %q", c)
	}
	check := func(p rundir.Pruned, how string) {
		var deleted []string
		var freed int64
		for _, r := range p.Deleted {
			deleted = append(deleted, r.Dir)
			freed += r.SizeBytes
		}
		if want := f.dirs[1:3]; !slices.Equal(deleted, want) {
			t.Errorf("%s: deleted %q, want the two older dry runs not held %q", how, deleted, want)
		}
		if len(p.Spared) != 1 || p.Spared[0].Run.Dir != f.dirs[0] || p.Spared[0].Why != "in use: running (pid "+itoa(os.Getpid())+")" {
			t.Errorf("%s: spared %+v, want only the held dry run, in use by this process", how, p.Spared)
		}
		if p.Freed != freed || freed == 0 {
			t.Errorf("%s: freed %d bytes, the directories held %d", how, p.Freed, freed)
		}
	}
	check(p, "prune --dry-run")
	if p, err = rundir.Prune(t.Context(), f.base, "", 1, false); err != nil {
		t.Fatal(err)
	}
	check(p, "prune")
	for i, dir := range f.dirs {
		_, err := os.Stat(dir)
		if gone := i == 1 || i == 2; gone != errors.Is(err, os.ErrNotExist) {
			t.Errorf("after prune %s: %v; want it gone: %v", dir, err, gone)
		}
	}
	for _, kept := range []string{"types-20200101T000000.000Z/notes.txt", "types-latest/run.db", "other-latest/run.db"} {
		if _, err := os.Stat(filepath.Join(f.base, kept)); err != nil {
			t.Errorf("after prune: %v", err)
		}
	}
	runs, err := rundir.List(t.Context(), f.base, "types")
	if err != nil || len(runs) != 4 || !runs[2].Resume {
		t.Errorf("after prune %d runs listed (%v), the interrupted one to resume: %v; want 4", len(runs), err, len(runs) > 2 && runs[2].Resume)
	}
	// Once released, the formerly held one goes too; keep 0 deletes the newest dry run, and the
	// latest link does not dangle. The runs stay.
	f.held.Release()
	if p, err = rundir.Prune(t.Context(), f.base, "types", 0, false); err != nil || len(p.Deleted) != 2 {
		t.Fatalf("prune --keep 0: deleted %d (%v), want 2", len(p.Deleted), err)
	}
	if _, err := os.Lstat(filepath.Join(f.base, "types-latest")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the latest link of a deleted directory is left: %v", err)
	}
	if runs, _ = rundir.List(t.Context(), f.base, "types"); len(runs) != 2 || runs[0].Mode != "run" || runs[1].Mode != "run" {
		t.Errorf("after prune --keep 0: %d runs left, want the finished and the interrupted run", len(runs))
	}
}

// A job that has not run yet has no runs folder: listing it is no error, and lists nothing; a
// folder named without a job must exist.
func TestListRunsOfAJobNotRunYet(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "runs")
	runs, err := rundir.List(context.Background(), missing, "sites")
	if err != nil || len(runs) != 0 {
		t.Errorf("List of a job not run yet: %v, %v; want no runs and no error", runs, err)
	}
	if _, err := rundir.List(context.Background(), missing, ""); err == nil {
		t.Error("List of a missing folder without a job: no error")
	}
}
