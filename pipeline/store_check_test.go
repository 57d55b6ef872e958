package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/targets/onkey"
)

// A finished run's store, edited as a lost transaction or a careless hand would leave it, is
// refused by Resume (*StoreDamagedError naming the file and what it lacks) before anything is
// sent, and stays refused; the store as the run left it resumes, sending nothing.
func TestResumeRefusesIncompleteStore(t *testing.T) {
	const n = 60
	for _, tc := range []struct {
		name    string
		queries []string
		marks   string // written into run.db-marks, when not ""; "-" removes it
		says    string // "" when the store is accepted
	}{
		{"as the run left it", nil, "", ""},
		{"records lost", []string{`DELETE FROM bodies WHERE seq > 50`, `DELETE FROM records WHERE seq > 50`}, "",
			"it holds 50 records; it held 60 when sending began"},
		{"valid records after sending began", []string{`UPDATE records SET status = 'valid' WHERE seq <= 3`}, "",
			"3 records are still valid, never marked pending, though the run began sending"},
		{"open, without its log, all its marks there", []string{`UPDATE meta SET value = '1' WHERE key = 'open'`}, "", ""},
		{"open, without its log or its marks count", []string{`UPDATE meta SET value = '1' WHERE key = 'open'`}, "-",
			"it was not closed cleanly while its run was sending (the process was killed or crashed), and both its write-ahead log run.db-wal"},
		{"fewer marks than committed", nil, "00000000000000000999\n", "of the 999 marks the run committed before sending requests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), n, 10, 2, "PerRecord", plainDesc, nil)
			if r.err != nil {
				t.Fatal(r.err)
			}
			editStore(t, r, tc.queries...)
			if tc.marks == "-" {
				if err := os.Remove(filepath.Join(r.dir, "run.db-marks")); err != nil {
					t.Fatal(err)
				}
			} else if tc.marks != "" {
				if err := os.WriteFile(filepath.Join(r.dir, "run.db-marks"), []byte(tc.marks), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before := len(r.sb.Requests())
			for attempt := 1; attempt <= 2; attempt++ {
				_, err := resume(t, r, pipeline.ResumeOptions{})
				var damaged *runstore.DamagedError
				switch {
				case tc.says == "" && err != nil:
					t.Fatalf("resume %d: %v", attempt, err)
				case tc.says == "":
				case !errors.As(err, &damaged) || !strings.Contains(err.Error(), tc.says) ||
					damaged.Path != filepath.Join(r.dir, runstore.FileName):
					t.Fatalf("resume %d: %v; want a *StoreDamagedError of %s saying %q", attempt, err, filepath.Join(r.dir, runstore.FileName), tc.says)
				}
			}
			if sent := len(r.sb.Requests()) - before; sent != 0 {
				t.Errorf("%d requests reached the sandbox", sent)
			}
		})
	}
}

// Reconcile, which changes nothing, reads a store that holds less than it recorded (to show what
// the target holds of the records it still knows), and leaves it refused for a resume.
func TestReconcileReadsIncompleteStore(t *testing.T) {
	r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), 30, 10, 2, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	editStore(t, r, `DELETE FROM bodies WHERE seq > 20`, `DELETE FROM records WHERE seq > 20`)
	job, getenv := recordedJob(t, r)
	sum, err := pipeline.Reconcile(context.Background(), job, r.dir, pipeline.RunOptions{Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Verdicts[onkey.ReconcileAgrees] != 20 {
		t.Errorf("verdicts %v, want 20 agree", sum.Verdicts)
	}
	var damaged *runstore.DamagedError
	if _, err := resume(t, r, pipeline.ResumeOptions{}); !errors.As(err, &damaged) {
		t.Errorf("resume after the reconcile: %v, want the store refused", err)
	}
}
