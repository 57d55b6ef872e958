package rundir_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// makeRun makes a run directory of job (rundir.New) with a run store of mode; a finished run
// also gets the summary.json a run writes with its reports, a sending one a store past
// BeginSending.
func makeRun(t *testing.T, job *spec.Job, at time.Time, mode string, finished, sending bool) string {
	t.Helper()
	dir, err := rundir.New(job, at)
	if err != nil {
		t.Fatal(err)
	}
	s, err := runstore.Create(t.Context(), dir, map[string]string{"job": job.Name, "mode": mode, "started": at.UTC().Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	if sending {
		if err := s.SetMeta(t.Context(), runstore.MetaPhase, runstore.PhaseSending); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if finished {
		b, _ := json.Marshal(map[string]any{"job": job.Name, "mode": mode, "started": at.UTC().Format(time.RFC3339),
			"finished": at.Add(time.Second).UTC().Format(time.RFC3339), "records": map[string]int{"total": 0}})
		if err := os.WriteFile(filepath.Join(dir, "summary.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// List gives a job's run directories oldest first with mode and state, a held one as running
// with its holder, the newest resumable one marked for --resume, and skips a folder named like a
// run directory that holds none; Prune then deletes the dry runs beyond the newest kept, sparing
// the held one and never touching a run that sent.
func TestListAndPrune(t *testing.T) {
	job := &spec.Job{Name: "sites", Dir: t.TempDir()}
	job.Report.Dir = "runs"
	base := filepath.Join(job.Dir, "runs")
	t0 := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	dirs := []string{
		makeRun(t, job, t0, "dry-run", true, false),
		makeRun(t, job, t0.Add(time.Minute), "dry-run", true, false),
		makeRun(t, job, t0.Add(2*time.Minute), "dry-run", true, false),
		makeRun(t, job, t0.Add(3*time.Minute), "run", false, true),
		makeRun(t, job, t0.Add(4*time.Minute), "dry-run", true, false),
	}
	if err := os.MkdirAll(filepath.Join(base, "sites-20200101T000000.000Z"), 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := rundir.Hold(dirs[0], "bulkload validate job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	runs, err := rundir.List(t.Context(), base, "sites")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.Dir+" "+r.Mode+" "+r.State+" resume="+strconv.FormatBool(r.Resume))
	}
	want := []string{
		dirs[0] + " dry-run running resume=false",
		dirs[1] + " dry-run finished resume=false",
		dirs[2] + " dry-run finished resume=false",
		dirs[3] + " run interrupted resume=true",
		dirs[4] + " dry-run finished resume=false",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List:\n%q\nwant\n%q", got, want)
	}
	if h := runs[0].Holder; h == nil || h.PID != os.Getpid() || h.Command != "bulkload validate job.yaml" {
		t.Errorf("the held run's holder: %+v, want this process and its command", h)
	}
	p, err := rundir.Prune(t.Context(), base, "sites", 1, false)
	if err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, r := range p.Deleted {
		deleted = append(deleted, r.Dir)
	}
	if !slices.Equal(deleted, dirs[1:3]) || len(p.Spared) != 1 || p.Spared[0].Run.Dir != dirs[0] {
		t.Errorf("Prune --keep 1: deleted %q, spared %+v; want %q deleted and the held one spared", deleted, p.Spared, dirs[1:3])
	}
	for i, dir := range dirs {
		_, err := os.Stat(dir)
		if gone := i == 1 || i == 2; gone != errors.Is(err, os.ErrNotExist) {
			t.Errorf("after Prune %s: %v; want it gone: %v", dir, err, gone)
		}
	}
	if name, err := os.Readlink(rundir.LatestLink(base, "sites")); err != nil || name != filepath.Base(dirs[4]) {
		t.Errorf("the latest link: %q, %v; want the newest dry run, kept", name, err)
	}
}
