package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// createsJob creates a SiteType per row: Creates are the calls that cannot simply be repeated.
const createsJob = `version: 1
name: types
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: BATCH, concurrency: CONCURRENCY, mode: MODE, retries: 12, async: ASYNC}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site_type
    source: rows
    entityType: SiteType
    action: Create
    userObjectId: '"T" + row.id'
    properties: {code: '"T" + row.id', description: row.desc, permissionTreeId: code("A20")}
`

// resume resumes the run r started, with its own job file and the sandbox's credentials.
func resume(t *testing.T, r sandboxRun, opts pipeline.ResumeOptions) (*pipeline.Outcome, error) {
	t.Helper()
	specPath, err := pipeline.RunSpec(context.Background(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SANDBOX_URL": r.sb.URL(), "SANDBOX_TOKEN": sandbox.DefaultConfig().Tokens[0]}
	job, err := spec.Load(specPath, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	opts.Getenv = func(k string) string { return env[k] }
	return pipeline.Resume(context.Background(), job, r.dir, opts)
}

// reportByUOID reads report.jsonl of a run directory by userObjectId.
func reportByUOID(t *testing.T, dir string) map[string]map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var l map[string]any
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		uoid := fmt.Sprint(l["userObjectId"])
		if _, dup := out[uoid]; dup {
			t.Errorf("report has %s twice", uoid)
		}
		out[uoid] = l
	}
	return out
}

// The sandbox applies some Create batches and drops their answers: the run leaves those records
// unknown, and resuming looks them up by Code instead of creating them again. Resumed until
// nothing is left unknown, every SiteType is stored once and reported succeeded with its id.
func TestResumeReconcilesDroppedCreates(t *testing.T) {
	const n = 200
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Seed, cfg.Faults.DropResponseAfterApplyRate = 7, 0.25
	r := runJobOnSandbox(t, createsJob, cfg, n, 10, 4, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	left := r.out.Summary.Count(pipeline.Unknown)
	if left == 0 {
		t.Fatal("no record was left unknown: the drop fault did not bite")
	}
	reconciled := 0
	for round := 1; left > 0; round++ {
		if round > 20 {
			t.Fatalf("%d records still unknown after 20 resumes", left)
		}
		out, err := resume(t, r, pipeline.ResumeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		left = out.Summary.Count(pipeline.Unknown) + out.Summary.Count(pipeline.Pending)
		for _, l := range reportByUOID(t, r.dir) {
			if strings.Contains(fmt.Sprint(l["errors"]), "reconciled") {
				reconciled++
			}
		}
	}
	if reconciled == 0 {
		t.Error("no record was reconciled by its Code")
	}
	stored := map[string]int64{}
	for _, rec := range r.sb.Records("SiteType") {
		if rec.UserObjectID != "" {
			if _, dup := stored[rec.UserObjectID]; dup {
				t.Errorf("%s was created twice", rec.UserObjectID)
			}
			stored[rec.UserObjectID] = rec.ID
		}
	}
	if len(stored) != n {
		t.Errorf("%d SiteTypes stored, want %d", len(stored), n)
	}
	for uoid, l := range reportByUOID(t, r.dir) {
		if l["status"] != pipeline.Succeeded || fmt.Sprint(l["serverId"]) != fmt.Sprint(stored[uoid]) {
			t.Errorf("report: %s %v id %v; the sandbox has id %d", uoid, l["status"], l["serverId"], stored[uoid])
		}
	}
}

// Stop closed in the middle of sending: no request leaves after it, those in flight finish and
// are recorded (none is left unknown), the run returns Interrupted with the rest pending; a
// resume sends exactly the rest.
func TestStopThenResume(t *testing.T) {
	const n = 400
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 10 * time.Millisecond
	stop := make(chan struct{})
	var once sync.Once
	r := runJobOnSandboxWith(t, createsJob, cfg, n, 10, 4, pipeline.RunOptions{
		Stop: stop,
		Sent: func(int) { once.Do(func() { close(stop) }) },
	})
	if !errors.Is(r.err, pipeline.Interrupted) {
		t.Fatalf("run: %v, want Interrupted", r.err)
	}
	sum := r.out.Summary
	done, pending := sum.Count(pipeline.Succeeded), sum.Count(pipeline.Pending)
	if sum.Count(pipeline.Unknown) != 0 || done == 0 || pending == 0 || done+pending != n {
		t.Fatalf("after the stop: %d succeeded, %d pending, %d unknown; want some of the first two and none unknown",
			done, pending, sum.Count(pipeline.Unknown))
	}
	if got := countCreated(r.sb, "SiteType"); got != done {
		t.Errorf("the sandbox stores %d SiteTypes, the report says %d succeeded", got, done)
	}
	out, err := resume(t, r, pipeline.ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Summary.Count(pipeline.Succeeded); got != n {
		t.Errorf("after resuming: %d succeeded, want %d", got, n)
	}
	if got := countCreated(r.sb, "SiteType"); got != n {
		t.Errorf("after resuming the sandbox stores %d SiteTypes, want %d", got, n)
	}
}
