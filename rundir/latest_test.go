package rundir_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/spec"
)

// The names of a job's run directories sort as they were made, however many start within one
// millisecond or second (a counter 10 sorting before 2 would not), and the job's latest link
// points at the one made last after each.
func TestRunDirNamesSortInCreationOrder(t *testing.T) {
	job := &spec.Job{Name: "sites", Dir: t.TempDir()}
	job.Report.Dir = "runs"
	t0 := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	starts := []time.Time{t0, t0, t0.Add(500 * time.Microsecond), t0.Add(time.Millisecond), t0.Add(999 * time.Millisecond),
		t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second),
		t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second), t0.Add(time.Second),
		t0.Add(time.Second), t0.Add(time.Minute)}
	base := filepath.Join(job.Dir, "runs")
	var made []string
	for _, at := range starts {
		dir, err := rundir.New(job, at)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(dir))
		if !rundir.IsNameOf(filepath.Base(dir), "sites") {
			t.Errorf("%s is not recognised as a run directory name of job sites", dir)
		}
		target, err := os.Readlink(rundir.LatestLink(base, "sites"))
		if err != nil || target != filepath.Base(dir) {
			t.Errorf("after making %s the latest link points at %q (%v), want %q", dir, target, err, filepath.Base(dir))
		}
		if _, err := os.Stat(filepath.Join(base, "sites-latest", ".")); err != nil {
			t.Errorf("the latest link does not reach a directory: %v", err)
		}
	}
	if !slices.IsSorted(made) {
		t.Errorf("run directory names in creation order %q do not sort in that order", made)
	}
	if got, want := made[2], "sites-20261126T060000.002Z"; got != want {
		t.Errorf("third run in the first millisecond: %s, want %s", got, want)
	}
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := append(slices.Clone(made), "sites-latest"); !slices.Equal(names, slices.Sorted(slices.Values(want))) {
		t.Errorf("runs/ holds %q, want the run directories and the latest link only (no temp link left)", names)
	}
}

// Names of other jobs, the latest link and a second-resolution name of older versions are told
// apart from a job's run directory names.
func TestIsNameOf(t *testing.T) {
	for _, c := range []struct {
		name, job string
		want      bool
	}{
		{"sites-20261126T060000.000Z", "sites", true},
		{"sites-20261126T060000Z", "sites", true},
		{"sites-20261126T060000Z-2", "sites", true},
		{"onkey-sites-20261126T060000.000Z", "sites", false},
		{"onkey-sites-20261126T060000.000Z", "onkey-sites", true},
		{"onkey-sites-20261126T060000.000Z", "onkey", false},
		{"sites-latest", "sites", false},
		{"sites-20261126", "sites", false},
	} {
		if got := rundir.IsNameOf(c.name, c.job); got != c.want {
			t.Errorf("IsNameOf(%q, %q) = %v, want %v", c.name, c.job, got, c.want)
		}
	}
}
