package pipeline_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// async=true: each import is accepted for a background task, which the run polls until it ends.
// A task that completes every step succeeds its records; a PerRecord task with failed steps
// leaves its records unknown (the documents give no per-record results; Merges, sent once more
// at the end of the group, fail the same way), and an AllOrNone one that failed fails them all.
func TestSandboxAsync(t *testing.T) {
	cfg := func() *sandbox.Config {
		c := sandbox.DefaultConfig()
		c.Faults.AsyncStepDelay = 2e6 // 2 ms a step: the run must poll more than once
		return c
	}
	t.Run("completed", func(t *testing.T) {
		r := runSites(t, cfg(), 20, 10, 2, "PerRecord+async", plainDesc, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if got := r.out.Summary.Count(record.Succeeded); got != 60 {
			t.Errorf("%d succeeded, want 60", got)
		}
		if got := countCreated(r.sb, "Warehouse"); got != 20 {
			t.Errorf("%d Warehouses stored, want 20", got)
		}
		if r.taskPolls < 6 {
			t.Errorf("%d task polls reported, want at least one per batch", r.taskPolls)
		}
		for _, q := range r.sb.Requests() {
			if q.Method == "POST" && !isPreflight(q) && q.Status != 202 {
				t.Errorf("import %d answered %d, want 202", q.Seq, q.Status)
			}
		}
	})
	t.Run("PerRecord with a failed step", func(t *testing.T) {
		r := runSites(t, cfg(), 20, 10, 2, "PerRecord+async", plainDesc, func(i int) bool { return i == 3 })
		if r.err != nil {
			t.Fatal(r.err)
		}
		lines := reportLines(t, r.dir)
		if !hasPrefixLine(lines, "S00003 unknown: background task ") || !hasPrefixLine(lines, "S00004 unknown: ") {
			t.Errorf("the batch of the failed step is not unknown:\n%s", strings.Join(lines, "\n"))
		}
		if !hasPrefixLine(lines, "S00011 succeeded") {
			t.Errorf("the other batch did not succeed:\n%s", strings.Join(lines, "\n"))
		}
	})
	t.Run("AllOrNone that failed", func(t *testing.T) {
		r := runSites(t, cfg(), 5, 10, 2, "AllOrNone+async", func(i int) string {
			if i == 2 {
				return ""
			}
			return plainDesc(i)
		}, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if got := r.out.Summary.Count(record.Failed); got != 5 {
			t.Errorf("%d failed, want the 5 of the batch", got)
		}
		if got := countCreated(r.sb, "SiteType"); got != 0 {
			t.Errorf("%d SiteTypes stored, want none", got)
		}
	})
}

// A token the target refuses (401 after one refresh) aborts the run at the check before reading
// any row, and the error says why.
func TestSandboxRefusedTokenAborts(t *testing.T) {
	job := strings.Replace(sitesJob, "token_env: SANDBOX_TOKEN", "token_env: WRONG_TOKEN", 1)
	r := runJobOnSandbox(t, job, sandbox.DefaultConfig(), 12, 5, 2, "PerRecord", plainDesc, nil)
	var abort *pipeline.AbortError
	if !errors.As(r.err, &abort) || !strings.Contains(r.err.Error(), "401") {
		t.Fatalf("error %v, want an abort naming the 401", r.err)
	}
	if r.out != nil || !strings.Contains(r.err.Error(), "before reading any row") {
		t.Errorf("outcome %v, error %v; want none, from the check before reading", r.out, r.err)
	}
	if n := countCreated(r.sb, "SiteType"); n != 0 {
		t.Errorf("%d SiteTypes stored with a refused token", n)
	}
}
