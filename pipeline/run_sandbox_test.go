package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/cmd/bulkload/tuning"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// sitesJob maps each row of rows.csv (id, desc, currency) to a SiteType (group 1), a Site of that
// type (group 2) and a Warehouse on that site (group 3), each a child of the one before, all
// Merge by Code so that a retried batch cannot create twice.
const sitesJob = `version: 1
name: sites
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: BATCH, concurrency: CONCURRENCY, mode: MODE, ordered: true, retries: 12, async: ASYNC}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site_type
    source: rows
    entityType: SiteType
    action: Merge
    id: code("T" + row.id)
    groupOrder: 1
    userObjectId: '"T" + row.id'
    properties: {code: '"T" + row.id', description: row.desc, permissionTreeId: code("A20")}
  - name: site
    source: rows
    entityType: Site
    action: Merge
    id: code("S" + row.id)
    groupOrder: 2
    userObjectId: '"S" + row.id'
    parent: {entity: site_type, userObjectId: '"T" + row.id'}
    properties: {code: '"S" + row.id', description: '"Site " + row.id', permissionTreeId: code("A20"),
                 siteTypeId: code("T" + row.id), currencyId: code(row.currency)}
  - name: warehouse
    source: rows
    entityType: Warehouse
    action: Merge
    id: code("W" + row.id)
    groupOrder: 3
    userObjectId: '"W" + row.id'
    parent: {entity: site, userObjectId: '"S" + row.id'}
    properties: {code: '"W" + row.id', description: '"Store " + row.id', permissionTreeId: code("A20"), siteId: code("S" + row.id)}
`

// sandboxRun is a sites job run against a sandbox.
type sandboxRun struct {
	sb  *sandbox.Server
	out *pipeline.Outcome
	err error
	dir string // the run directory
	// toSend and groups are what RunOptions.Sending and Group were told.
	toSend    int
	groups    []int
	taskPolls int
}

// runSites writes n rows (row i gets the description desc(i), "" for an empty cell, and currency
// ZAR, or XXX when bad(i)) and runs the sites job against a sandbox started with cfg.
func runSites(t testing.TB, cfg *sandbox.Config, n, batch, concurrency int, mode string, desc func(i int) string, badCurrency func(i int) bool) sandboxRun {
	return runJobOnSandbox(t, sitesJob, cfg, n, batch, concurrency, mode, desc, badCurrency)
}

// runJobOnSandbox is runSites with another job spec over the same rows. A mode ending in
// "+async" sends with async=true.
func runJobOnSandbox(t testing.TB, jobSpec string, cfg *sandbox.Config, n, batch, concurrency int, mode string, desc func(i int) string, badCurrency func(i int) bool) sandboxRun {
	t.Helper()
	files, env := rowsJob(jobSpec, cfg, n, batch, concurrency, mode, desc, badCurrency)
	return runOnSandboxWith(t, cfg, files, env, pipeline.RunOptions{})
}

// runJobOnSandboxWith runs jobSpec over n plain rows in PerRecord mode, with ro's Stop and Sent.
func runJobOnSandboxWith(t testing.TB, jobSpec string, cfg *sandbox.Config, n, batch, concurrency int, ro pipeline.RunOptions) sandboxRun {
	t.Helper()
	files, env := rowsJob(jobSpec, cfg, n, batch, concurrency, "PerRecord", plainDesc, nil)
	return runOnSandboxWith(t, cfg, files, env, ro)
}

// rowsJob writes the files and environment of jobSpec over n rows (see runSites).
func rowsJob(jobSpec string, cfg *sandbox.Config, n, batch, concurrency int, mode string, desc func(i int) string, badCurrency func(i int) bool) (files, env map[string]string) {
	var csv strings.Builder
	csv.WriteString("id,desc,currency\n")
	for i := 1; i <= n; i++ {
		cur := "ZAR"
		if badCurrency != nil && badCurrency(i) {
			cur = "XXX"
		}
		fmt.Fprintf(&csv, "%05d,%s,%s\n", i, desc(i), cur)
	}
	mode, async := strings.CutSuffix(mode, "+async")
	jobYAML := strings.NewReplacer("BATCH", fmt.Sprint(batch), "CONCURRENCY", fmt.Sprint(concurrency), "MODE", mode,
		"ASYNC", fmt.Sprint(async)).Replace(jobSpec)
	return map[string]string{"job.yaml": jobYAML, "rows.csv": csv.String(),
			"row.schema.json": `{"type": "object", "properties": {"id": {"type": "string"}, "desc": {"type": "string"}, "currency": {"type": "string"}}}`},
		map[string]string{"SANDBOX_TOKEN": cfg.Tokens[0], "WRONG_TOKEN": "not-a-sandbox-token"}
}

// runOnSandbox starts a sandbox with cfg, writes files (job.yaml among them) into a new folder,
// loads job.yaml with env and SANDBOX_URL (the sandbox's) as the environment, and runs it.
func runOnSandbox(t testing.TB, cfg *sandbox.Config, files, env map[string]string) sandboxRun {
	t.Helper()
	return runOnSandboxWith(t, cfg, files, env, pipeline.RunOptions{})
}

// runOnSandboxWith is runOnSandbox with ro's Stop, Sent, Sending, Failed, Phase and Bytes.
func runOnSandboxWith(t testing.TB, cfg *sandbox.Config, files, env map[string]string, ro pipeline.RunOptions) sandboxRun {
	t.Helper()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return runOn(t, sb, files, env, ro)
}

// runOn is runOnSandboxWith against a sandbox already running.
func runOn(t testing.TB, sb *sandbox.Server, files, env map[string]string, ro pipeline.RunOptions) sandboxRun {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env["SANDBOX_URL"] = sb.URL()
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	r := sandboxRun{sb: sb, dir: filepath.Join(dir, "run")}
	if ro.WhileSending == nil {
		ro.WhileSending = tuning.WhileSending
	}
	if ro.StoreThread == nil {
		ro.StoreThread = tuning.StoreThread
	}
	r.out, r.err = pipeline.Run(context.Background(), job, pipeline.RunOptions{
		Options: pipeline.Options{RunDir: r.dir, Phase: ro.Phase, Bytes: ro.Bytes},
		Getenv:  func(k string) string { return env[k] },
		// Tuned as bulkload tunes a run (unless ro says otherwise), so that the benchmarks
		// measure what it does.
		WhileSending: ro.WhileSending,
		StoreThread:  ro.StoreThread,
		Sending: func(n int) {
			r.toSend = n
			if ro.Sending != nil {
				ro.Sending(n)
			}
		},
		Failed:      ro.Failed,
		Group:       func(g int) { r.groups = append(r.groups, g) },
		Task:        func(id string, steps, total int) { r.taskPolls++ },
		Stop:        ro.Stop,
		Sent:        ro.Sent,
		Concurrency: ro.Concurrency})
	return r
}

func plainDesc(i int) string { return fmt.Sprintf("Type %d", i) }

// Three groups that reference each other, concurrency 8, batches of 7: the sandbox receives no
// record of a group before it has answered every request of the groups before it.
func TestSandboxGroupsInOrder(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency, cfg.Faults.Jitter = 3e6, 4e6 // 3-7 ms
	r := runSites(t, cfg, 60, 7, 8, "PerRecord", plainDesc, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.out.Summary.Count(record.Succeeded); got != 180 {
		t.Fatalf("%d records succeeded, want 180", got)
	}
	if r.toSend != 180 || fmt.Sprint(r.groups) != "[1 2 3]" {
		t.Errorf("progress told of %d records to send and groups %v; want 180 and [1 2 3]", r.toSend, r.groups)
	}
	reqs := r.sb.Requests()
	maxInflight := 0
	for _, q := range reqs {
		if len(q.GroupOrders) == 0 {
			continue
		}
		if len(q.UserObjectIDs) > 7 {
			t.Errorf("request %d carries %d records, want at most 7", q.Seq, len(q.UserObjectIDs))
		}
		g := q.GroupOrders[0]
		for _, o := range reqs {
			if len(o.GroupOrders) > 0 && o.GroupOrders[0] < g && !o.Done.Before(q.Time) {
				t.Errorf("request %d (group %d) arrived at %v, before request %d (group %d) was answered at %v",
					q.Seq, g, q.Time, o.Seq, o.GroupOrders[0], o.Done)
			}
		}
		n := 0
		for _, o := range reqs {
			if o.Time.Before(q.Done) && q.Time.Before(o.Done) {
				n++
			}
		}
		maxInflight = max(maxInflight, n)
	}
	if maxInflight < 4 {
		t.Errorf("at most %d requests were in flight together, want up to 8", maxInflight)
	}
	for _, et := range []string{"SiteType", "Site", "Warehouse"} {
		if got := countCreated(r.sb, et); got != 60 {
			t.Errorf("%d %s records stored by the run, want 60", got, et)
		}
	}
}

// countCreated counts the records of entityType that the run created (the seeded ones have no
// userObjectId).
func countCreated(sb *sandbox.Server, entityType string) int {
	n := 0
	for _, rec := range sb.Records(entityType) {
		if rec.UserObjectID != "" {
			n++
		}
	}
	return n
}
