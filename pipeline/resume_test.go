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
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/runstore/storetest"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// typesJob is the head of a job with one SiteType per row; its entity follows.
const typesJob = `version: 1
name: types
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: BATCH, concurrency: CONCURRENCY, mode: MODE, retries: 12, async: ASYNC}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site_type
    source: rows
    entityType: SiteType
`

// createsJob creates a SiteType per row: Creates are the calls that cannot simply be repeated.
const createsJob = typesJob + `    action: Create
    userObjectId: '"T" + row.id'
    properties: {code: '"T" + row.id', description: row.desc, permissionTreeId: code("A20")}
`

// recordedJob loads the job file the run r recorded, with the sandbox's URL and credentials as
// the environment, which it also returns as a Getenv.
func recordedJob(t *testing.T, r sandboxRun) (*spec.Job, func(string) string) {
	t.Helper()
	info, err := rundir.ReadInfo(context.Background(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SANDBOX_URL": r.sb.URL(), "SANDBOX_TOKEN": sandbox.DefaultConfig().Tokens[0]}
	job, err := spec.Load(info.Spec, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return job, func(k string) string { return env[k] }
}

// resume resumes the run r started, with its own job file and the sandbox's credentials.
func resume(t *testing.T, r sandboxRun, opts pipeline.ResumeOptions) (*pipeline.Outcome, error) {
	t.Helper()
	job, getenv := recordedJob(t, r)
	opts.Getenv = getenv
	return pipeline.Resume(context.Background(), job, r.dir, opts)
}

// editStore runs queries on the run store of r, as a bad day might leave it.
func editStore(t *testing.T, r sandboxRun, queries ...string) {
	t.Helper()
	storetest.Edit(t, filepath.Join(r.dir, runstore.FileName), queries...)
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

// The sandbox applies some Create batches and drops their answers: the run looks those records
// up by Code instead of creating them again, and a resume settles what is left. Resumed until
// nothing is left unknown, every SiteType is stored once and reported succeeded with its id.
func TestResumeReconcilesDroppedCreates(t *testing.T) {
	const n = 200
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Seed, cfg.Faults.DropResponseAfterApplyRate = 7, 0.25
	r := runJobOnSandbox(t, createsJob, cfg, n, 10, 4, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	// The run settles what it left unknown at the end of the group; a resume settles the rest.
	left := r.out.Summary.Count(record.Unknown) + r.out.Summary.Count(record.Pending)
	reconciled := 0
	for _, l := range reportByUOID(t, r.dir) {
		if strings.Contains(fmt.Sprint(l["errors"]), "reconciled") {
			reconciled++
		}
	}
	for round := 1; left > 0; round++ {
		if round > 20 {
			t.Fatalf("%d records still unknown after 20 resumes", left)
		}
		out, err := resume(t, r, pipeline.ResumeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		left = out.Summary.Count(record.Unknown) + out.Summary.Count(record.Pending)
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
		if l["status"] != string(record.Succeeded) || fmt.Sprint(l["serverId"]) != fmt.Sprint(stored[uoid]) {
			t.Errorf("report: %s %v id %v; the sandbox has id %d", uoid, l["status"], l["serverId"], stored[uoid])
		}
	}
}

// deletesJob deletes the SiteType of each row, found by its Code.
const deletesJob = typesJob + `    action: Delete
    id: code("T" + row.id)
    userObjectId: '"T" + row.id'
`

// A Delete applied by On Key whose answer is lost is reported deleted, not failed: bulkload looks
// it up by Code, and saying how it knows, reports it succeeded when On Key no longer has it.
//   - Retried in the run (the sandbox drops a quarter of the answers after applying the call): the
//     retry fails for want of the record.
//   - Left unknown by a run that died before recording the answers: a resumed run looks them up
//     before sending anything.
func TestLostDeleteAnswersAreReconciled(t *testing.T) {
	const n = 200
	for _, tc := range []struct {
		name, why string
		drop      float64
		died      bool
	}{
		{"retried in the run", " times and the last attempt failed", 0.25, false},
		{"unknown, then resumed", "its outcome was not known", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			for i := 1; i <= n; i++ {
				cfg.Entities["SiteType"].Records = append(cfg.Entities["SiteType"].Records, sandbox.SeedRecord{ID: int64(9000 + i),
					Properties: map[string]any{"code": fmt.Sprintf("T%05d", i), "description": plainDesc(i), "permissionTreeId": int64(5000000)}})
			}
			cfg.Faults.Seed, cfg.Faults.DropResponseAfterApplyRate = 7, tc.drop
			r := runJobOnSandbox(t, deletesJob, cfg, n, 10, 4, "PerRecord", plainDesc, nil)
			if r.err != nil {
				t.Fatal(r.err)
			}
			out := r.out
			if tc.died {
				// Every request was applied; the store as a run that died before recording the
				// answers of the first 50 would leave it.
				editStore(t, r, `UPDATE records SET status = 'unknown', messages = '[]', server_id = NULL, version = NULL WHERE seq <= 50`)
				var err error
				if out, err = resume(t, r, pipeline.ResumeOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if got := out.Summary.Count(record.Succeeded); got != n {
				t.Errorf("%d of %d deletes succeeded", got, n)
			}
			reconciled := 0
			for uoid, l := range reportByUOID(t, r.dir) {
				if l["status"] != string(record.Succeeded) {
					t.Errorf("report: %s %v %v", uoid, l["status"], l["errors"])
				}
				if want := tc.why + "; On Key has no SiteType with Code " + uoid + ", so it was deleted then"; strings.Contains(fmt.Sprint(l["errors"]), want) {
					reconciled++
				}
			}
			if reconciled == 0 || tc.died && reconciled != 50 {
				t.Errorf("%d deletes reconciled saying %q", reconciled, tc.why)
			}
			for _, rec := range r.sb.Records("SiteType") {
				if code := fmt.Sprint(rec.Properties["code"]); strings.HasPrefix(code, "T0") {
					t.Errorf("SiteType %s is still there", code)
				}
			}
		})
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
	done, pending := sum.Count(record.Succeeded), sum.Count(record.Pending)
	if sum.Count(record.Unknown) != 0 || done == 0 || pending == 0 || done+pending != n {
		t.Fatalf("after the stop: %d succeeded, %d pending, %d unknown; want some of the first two and none unknown",
			done, pending, sum.Count(record.Unknown))
	}
	if got := countCreated(r.sb, "SiteType"); got != done {
		t.Errorf("the sandbox stores %d SiteTypes, the report says %d succeeded", got, done)
	}
	out, err := resume(t, r, pipeline.ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Summary.Count(record.Succeeded); got != n {
		t.Errorf("after resuming: %d succeeded, want %d", got, n)
	}
	if got := countCreated(r.sb, "SiteType"); got != n {
		t.Errorf("after resuming the sandbox stores %d SiteTypes, want %d", got, n)
	}
}

// An Onix Work run stopped midway leaves orders succeeded whose lines were not sent yet. The
// resume sends those lines at once (their order's id is in the store) and the rest parents
// first: every order and line is stored once, under its order, and reported succeeded.
func TestResumeOnixWork(t *testing.T) {
	const orders, linesPer = 60, 3
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 5 * time.Millisecond
	var csv strings.Builder
	csv.WriteString("order,line,customer\n")
	for i := 1; i <= orders; i++ {
		for l := 1; l <= linesPer; l++ {
			fmt.Fprintf(&csv, "%05d,%d,K-1001\n", i, l)
		}
	}
	stop := make(chan struct{})
	sent := 0
	r := runOnSandboxWith(t, cfg, map[string]string{"job.yaml": onixOrdersJob, "lines.csv": csv.String(),
		"row.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}, "line": {"type": "string"}, "customer": {"type": "string"}}}`},
		map[string]string{"U": "sandbox", "P": cfg.OnixWork.Users["sandbox"]},
		pipeline.RunOptions{Stop: stop, Sent: func(n int) {
			if sent += n; sent >= 40 && sent-n < 40 {
				close(stop)
			}
		}})
	if !errors.Is(r.err, pipeline.Interrupted) {
		t.Fatalf("run: %v, want Interrupted", r.err)
	}
	ordersDone := len(r.sb.OnixOrders())
	linesBefore := len(r.sb.OnixOrderLines())
	if ordersDone*linesPer <= linesBefore {
		t.Fatalf("after the stop %d orders and %d lines are stored: no order is waiting for its lines", ordersDone, linesBefore)
	}
	env := map[string]string{"SANDBOX_URL": r.sb.URL(), "U": "sandbox", "P": cfg.OnixWork.Users["sandbox"]}
	job, err := spec.Load(filepath.Join(filepath.Dir(r.dir), "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Resume(context.Background(), job, r.dir, pipeline.ResumeOptions{
		RunOptions: pipeline.RunOptions{Getenv: func(k string) string { return env[k] }}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Summary.Count(record.Succeeded); got != orders*(1+linesPer) {
		t.Errorf("%d succeeded after resuming, want %d", got, orders*(1+linesPer))
	}
	orderID := map[string]int64{}
	for _, o := range r.sb.OnixOrders() {
		imp := fmt.Sprint(o.Fields["orderImportId"])
		if _, dup := orderID[imp]; dup {
			t.Errorf("order %s stored twice", imp)
		}
		orderID[imp] = o.OrderID
	}
	lines := r.sb.OnixOrderLines()
	if len(orderID) != orders || len(lines) != orders*linesPer {
		t.Errorf("%d orders and %d lines stored, want %d and %d", len(orderID), len(lines), orders, orders*linesPer)
	}
	for _, l := range lines {
		imp := fmt.Sprint(l.Fields["orderLineImportId"])
		order, _, _ := strings.Cut(imp, "-")
		if l.OrderID != orderID[order] {
			t.Errorf("line %s has order %d, want %d", imp, l.OrderID, orderID[order])
		}
	}
}

// Reconcile checks a finished run against the sandbox: the records that agree, a record whose
// recorded id is not the sandbox's, one the sandbox does not have, and an unknown one it has are
// each told apart in reconcile.jsonl; the store is left as it was.
func TestReconcile(t *testing.T) {
	r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), 20, 10, 2, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	editStore(t, r,
		`UPDATE records SET server_id = '999' WHERE uoid = 'T00002'`,
		`UPDATE bodies SET body = replace(body, '"T00003"', '"T99999"') WHERE seq = (SELECT seq FROM records WHERE uoid = 'T00003')`,
		`UPDATE records SET status = 'unknown' WHERE uoid = 'T00004'`)

	job, getenv := recordedJob(t, r)
	sum, err := pipeline.Reconcile(context.Background(), job, r.dir, pipeline.RunOptions{Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{onkey.ReconcileAgrees: 17, onkey.ReconcileMismatch: 2, onkey.ReconcileExists: 1}
	if fmt.Sprint(sum.Verdicts) != fmt.Sprint(want) {
		t.Errorf("verdicts %v, want %v", sum.Verdicts, want)
	}
	data, err := os.ReadFile(sum.File)
	if err != nil {
		t.Fatal(err)
	}
	for _, wantLine := range []string{
		`"userObjectId":"T00002","entity":"site_type","status":"succeeded","verdict":"mismatch","detail":"the run recorded id 999, but On Key's SiteType with Code T00002 has id`,
		`"userObjectId":"T00003","entity":"site_type","status":"succeeded","verdict":"mismatch","detail":"succeeded in the run, but On Key has no SiteType with Code T99999"`,
		`"userObjectId":"T00004","entity":"site_type","status":"unknown","verdict":"exists","detail":"On Key has SiteType with Code T00004"`,
	} {
		if !strings.Contains(string(data), wantLine) {
			t.Errorf("reconcile.jsonl lacks %s:\n%s", wantLine, data)
		}
	}
}

// A run whose source changed is refused by a plain resume, naming the file; with Force every
// row is evaluated again: a failed row that was fixed is sent, a failed one left as it was is
// not, a succeeded row that changed is not sent again (and says so), a succeeded row that is gone
// stays in the report, and a new row is sent.
func TestResumeForcedAfterTheSourceChanged(t *testing.T) {
	desc := func(i int) string {
		if i == 3 || i == 5 {
			return "" // On Key requires a description: these fail
		}
		return fmt.Sprintf("Type %d", i)
	}
	r := runJobOnSandbox(t, createsJob, sandbox.DefaultConfig(), 6, 10, 2, "PerRecord", desc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.out.Summary.Count(record.Failed); got != 2 {
		t.Fatalf("%d failed, want 2", got)
	}
	// Row 3 fixed, row 1 changed, row 6 removed, row 7 added; row 5 still without a description.
	rows := "id,desc,currency\n00001,Type one,ZAR\n00002,Type 2,ZAR\n00003,Type 3,ZAR\n00004,Type 4,ZAR\n00005,,ZAR\n00007,Type 7,ZAR\n"
	if err := os.WriteFile(filepath.Join(filepath.Dir(r.dir), "rows.csv"), []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := resume(t, r, pipeline.ResumeOptions{})
	var changed *rundir.ChangedError
	if !errors.As(err, &changed) || len(changed.Changes) != 1 || !strings.HasSuffix(changed.Changes[0], "rows.csv changed") {
		t.Fatalf("resume after a change: %v; want it refused, naming rows.csv", err)
	}
	before := len(r.sb.Requests())
	out, err := resume(t, r, pipeline.ResumeOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, q := range r.sb.Requests()[before:] {
		if !isPreflight(q) {
			sent = append(sent, q.UserObjectIDs...)
		}
	}
	if fmt.Sprint(sent) != "[T00003 T00007]" {
		t.Errorf("the forced resume sent %v, want [T00003 T00007]", sent)
	}
	lines := reportByUOID(t, r.dir)
	for uoid, want := range map[string]string{"T00001": "succeeded changed", "T00002": "succeeded", "T00003": "succeeded",
		"T00005": "failed", "T00006": "succeeded removed", "T00007": "succeeded"} {
		l := lines[uoid]
		got := fmt.Sprint(l["status"])
		for _, code := range []string{"changed", "removed"} {
			if strings.Contains(fmt.Sprint(l["errors"]), "code:"+code) {
				got += " " + code
			}
		}
		if got != want {
			t.Errorf("%s: %s, want %s (%v)", uoid, got, want, l["errors"])
		}
	}
	if len(lines) != 7 || out.Summary.Count(record.Succeeded) != 6 {
		t.Errorf("the report has %d records, %d succeeded; want 7 and 6", len(lines), out.Summary.Count(record.Succeeded))
	}
	if got := countCreated(r.sb, "SiteType"); got != 6 {
		t.Errorf("the sandbox stores %d SiteTypes, want 6 (row 5 still fails)", got)
	}
	if info, err := rundir.ReadInfo(context.Background(), r.dir); err != nil || info.Target != r.sb.URL() {
		t.Errorf("after the forced resume the run says it sends to %q (%v), want %s", info.Target, err, r.sb.URL())
	}
}
