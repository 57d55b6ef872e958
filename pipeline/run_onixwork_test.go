package pipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// onixOrdersJob builds Onix Work orders (one per order number, from all its lines) and their lines
// from lines.csv.
const onixOrdersJob = `version: 1
name: orders
target: {kind: onixwork, url: "${SANDBOX_URL}", auth: {kind: password, username_env: U, password_env: P}}
submit: {concurrency: 8, retries: 8}
sources:
  - {name: lines, file: lines.csv, schema: row.schema.json}
entities:
  - name: order
    source: lines
    endpoint: /v1/orders
    userObjectId: '"O" + row.order'
    distinct: true
    properties: {orderImportId: row.order, source: '"bulkload"', erpOrderDate: '"2026-11-26"', customerExternalId: row.customer}
  - name: line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"O" + row.order + "/" + row.line'
    parent: {entity: order, userObjectId: '"O" + row.order'}
    properties: {orderImportId: row.order, orderLineImportId: 'row.order + "-" + row.line', type: '"Stock"', productName: '"Bolt"', quantity: 1}
`

// runOrders writes orders x linesPer rows (order i's customer is K-BAD, which the sandbox does
// not know, when bad(i)) and runs the orders job against a sandbox started with cfg.
func runOrders(t testing.TB, cfg *sandbox.Config, orders, linesPer int, bad func(i int) bool) sandboxRun {
	return runOrdersJob(t, onixOrdersJob, cfg, orders, linesPer, bad)
}

// runOrdersJob is runOrders with another job spec over the same rows.
func runOrdersJob(t testing.TB, jobSpec string, cfg *sandbox.Config, orders, linesPer int, bad func(i int) bool) sandboxRun {
	t.Helper()
	files, env := ordersFiles(jobSpec, cfg, orders, linesPer, bad)
	return runOnSandbox(t, cfg, files, env)
}

// runOrdersJobOn runs jobSpec over orders x linesPer good rows against sb, which runs with cfg.
func runOrdersJobOn(t testing.TB, sb *sandbox.Server, jobSpec string, cfg *sandbox.Config, orders, linesPer int) sandboxRun {
	t.Helper()
	files, env := ordersFiles(jobSpec, cfg, orders, linesPer, func(int) bool { return false })
	return runOn(t, sb, files, env, pipeline.RunOptions{})
}

// ordersFiles writes the files and environment of jobSpec over orders x linesPer rows (see
// runOrders).
func ordersFiles(jobSpec string, cfg *sandbox.Config, orders, linesPer int, bad func(i int) bool) (files, env map[string]string) {
	var csv strings.Builder
	csv.WriteString("order,line,customer\n")
	for i := 1; i <= orders; i++ {
		customer := "K-1001"
		if bad(i) {
			customer = "K-BAD"
		}
		for l := 1; l <= linesPer; l++ {
			fmt.Fprintf(&csv, "%05d,%d,%s\n", i, l, customer)
		}
	}
	return map[string]string{"job.yaml": jobSpec, "lines.csv": csv.String(),
			"row.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}, "line": {"type": "string"}, "customer": {"type": "string"}}}`},
		map[string]string{"U": "sandbox", "P": cfg.OnixWork.Users["sandbox"]}
}

// 500 orders with 3000 lines, 10% of the orders refused by the sandbox: every line of a refused
// order is skipped and never sent; every other order and line is stored once with the right
// parent; the report agrees with the sandbox.
func TestOnixOrdersParentsFirst(t *testing.T) {
	bad := func(i int) bool { return i%10 == 3 }
	r := runOrders(t, sandbox.DefaultConfig(), 500, 6, bad)
	if r.err != nil {
		t.Fatal(r.err)
	}
	sum := r.out.Summary
	if sum.Count(record.Succeeded) != 450+450*6 || sum.Count(record.Failed) != 50 || sum.Count(record.Skipped) != 300 {
		t.Errorf("succeeded %d, failed %d, skipped %d; want 3150, 50, 300",
			sum.Count(record.Succeeded), sum.Count(record.Failed), sum.Count(record.Skipped))
	}
	for _, q := range r.sb.Requests() {
		if strings.HasSuffix(strings.ToLower(q.Path), "/order-lines") && q.Status != 200 {
			t.Errorf("a line call answered %d", q.Status)
		}
	}
	orderID := map[string]int64{} // orderImportId -> id
	for _, o := range r.sb.OnixOrders() {
		imp := fmt.Sprint(o.Fields["orderImportId"])
		if _, dup := orderID[imp]; dup {
			t.Errorf("order %s stored twice", imp)
		}
		orderID[imp] = o.OrderID
	}
	if len(orderID) != 450 {
		t.Errorf("%d orders stored, want 450", len(orderID))
	}
	lines := r.sb.OnixOrderLines()
	if len(lines) != 2700 {
		t.Errorf("%d lines stored, want 2700 (none of a refused order)", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		imp := fmt.Sprint(l.Fields["orderLineImportId"])
		order, _, _ := strings.Cut(imp, "-")
		if seen[imp] {
			t.Errorf("line %s stored twice", imp)
		}
		seen[imp] = true
		if l.OrderID != orderID[order] {
			t.Errorf("line %s has order %d, want %d", imp, l.OrderID, orderID[order])
		}
	}
	codes := reportCodes(t, r.dir)
	lines2 := reportLines(t, r.dir)
	for _, want := range []string{"O00003 failed: ", `O00003/1 skipped: parent: parent "O00003" is failed`, "O00004/6 succeeded"} {
		if !hasPrefixLine(lines2, want) {
			t.Errorf("report has no line starting %q", want)
		}
	}
	if codes["O00003"] != "logic" {
		t.Errorf("O00003's code is %q, want the sandbox's logic error", codes["O00003"])
	}
}

// A line leaves as soon as its own order succeeded, not after every order: with 30 ms calls and
// 8 workers, the first line call starts long before the last order call.
func TestOnixLinesDoNotWaitForEveryOrder(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 30 * time.Millisecond
	r := runOrders(t, cfg, 40, 2, func(int) bool { return false })
	if r.err != nil {
		t.Fatal(r.err)
	}
	var firstLine, lastOrder time.Time
	for _, q := range r.sb.Requests() {
		switch strings.ToLower(q.Path) {
		case "/v1/order-lines":
			if firstLine.IsZero() || q.Time.Before(firstLine) {
				firstLine = q.Time
			}
		case "/v1/orders":
			lastOrder = maxTime(lastOrder, q.Time)
		}
	}
	if !firstLine.Before(lastOrder) {
		t.Errorf("the first line left at %v, after the last order at %v: lines waited for every order", firstLine, lastOrder)
	}
}

// Tokens that the sandbox expires every 300 ms while the job expects them to last an hour: each
// expiry is met by a 401, one fresh token for all 8 workers, and the call again; no record
// fails for auth, and the token endpoint is called about once per lifetime, not once per worker.
func TestOnixTokenExpiresDuringTheRun(t *testing.T) {
	cfg := sandbox.DefaultConfig()
	cfg.OnixWork.TokenLifetime = 300 * time.Millisecond
	cfg.Faults.Latency = 10 * time.Millisecond
	start := time.Now()
	r := runOrders(t, cfg, 200, 5, func(int) bool { return false })
	took := time.Since(start)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.out.Summary.Count(record.Succeeded); got != 1200 {
		t.Errorf("%d records succeeded, want all 1200", got)
	}
	lifetimes := int(took/cfg.OnixWork.TokenLifetime) + 1
	if n := r.sb.OnixTokenRequests(); n > 2*lifetimes+2 {
		t.Errorf("%d token requests in %v (%d lifetimes): not one per lifetime", n, took, lifetimes)
	}
	t.Logf("%d token requests over %v", r.sb.OnixTokenRequests(), took)
}

// The case as stated: tokens that live 2 s, on both sides, through a run of at least
// 20 s with 8 workers. No record fails for auth, and the token endpoint is called about once per
// lifetime (each token renewed shortly before it expires), not once per worker.
func TestOnixTwoSecondTokensThroughATwentySecondRun(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20 s run: not in -short")
	}
	cfg := sandbox.DefaultConfig()
	cfg.OnixWork.TokenLifetime = 2 * time.Second
	cfg.Faults.Latency = 30 * time.Millisecond // 5,400 calls / 8 x 30 ms: 20 s
	job := strings.Replace(onixOrdersJob, "password_env: P}", "password_env: P, token_lifetime: 2s}", 1)
	r := runOrdersJob(t, job, cfg, 900, 5, func(int) bool { return false })
	if r.err != nil {
		t.Fatal(r.err)
	}
	took, _ := callWindow(r.sb.Requests())
	if took < 20*time.Second {
		t.Fatalf("the run sent for %v, want at least 20 s", took)
	}
	if got := r.out.Summary.Count(record.Succeeded); got != 5400 {
		t.Errorf("%d records succeeded, want all 5400", got)
	}
	for _, q := range r.sb.Requests() {
		if q.Status == http.StatusUnauthorized {
			t.Errorf("a call was refused for auth at %v", q.Time)
			break
		}
	}
	lifetimes := int(took / cfg.OnixWork.TokenLifetime)
	if n := r.sb.OnixTokenRequests(); n < lifetimes || n > lifetimes+lifetimes/2+1 {
		t.Errorf("%d token requests in %v (%d lifetimes): want about one per lifetime", n, took, lifetimes)
	}
	t.Logf("%d token requests over %v of sending", r.sb.OnixTokenRequests(), took)
}

// The three levels of an Onix Work import, as entities: an order per order number, a line per
// row, the line's items (a serial number) per row. levelJob assembles a job of some of them.
const (
	levelOrder = `  - name: order
    source: lines
    endpoint: /v1/orders
    userObjectId: '"O" + row.order'
    distinct: true
    properties: {orderImportId: row.order, source: '"bulkload"', erpOrderDate: '"2026-11-26"', customerExternalId: row.customer}
`
	levelLine = `  - name: line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"O" + row.order + "/" + row.line'
    PARENT_ORDER
    properties: {orderImportId: row.order, orderLineImportId: 'row.order + "-" + row.line', type: '"Unique"', productName: '"Bolt"', quantity: 1}
`
	levelItems = `  - name: items
    source: lines
    endpoint: /v1/order-lines/items
    userObjectId: '"O" + row.order + "/" + row.line + "/items"'
    PARENT_LINE
    properties: {orderImportId: row.order, orderLineImportId: 'row.order + "-" + row.line', items: '[{"serialNumber": "S" + row.order + "-" + row.line}]'}
`
)

// levelJob is onixOrdersJob's header with the given levels; with parents, each level is a child
// of the one above (sent parents first), without, each stands alone (levels run as jobs of
// their own, one after the other, are level-by-level barriers).
func levelJob(parents bool, levels ...string) string {
	head := onixOrdersJob[:strings.Index(onixOrdersJob, "entities:\n")+len("entities:\n")]
	body := strings.Join(levels, "")
	orderParent, lineParent := "", ""
	if parents {
		orderParent = `parent: {entity: order, userObjectId: '"O" + row.order'}`
		lineParent = `parent: {entity: line, userObjectId: '"O" + row.order + "/" + row.line'}`
	}
	return head + strings.NewReplacer("PARENT_ORDER", orderParent, "PARENT_LINE", lineParent).Replace(body)
}

// BenchmarkOnixSend: 200 orders of 5 lines with their items (2,200 calls), 8 calls in flight,
// each call 30 ms (fixed), or 10-70 ms (jitter: 30 ms on average, uneven as real calls are). The
// ideal is calls / 8 x the mean call time. "parents-first" is a run as bulkload makes it (each
// child as soon as its own parent is stored); "barriers" sends the same calls level by level,
// as three runs one after the other, counting only their sending windows (not their reading).
// It reports the sending time over the ideal (x-ideal).
func BenchmarkOnixSend(b *testing.B) {
	const orders, lines, conc = 200, 5, 8
	for _, timing := range []struct {
		name            string
		latency, jitter time.Duration
	}{{"fixed", 30 * time.Millisecond, 0}, {"jitter", 10 * time.Millisecond, 40 * time.Millisecond}} {
		for _, schedule := range []string{"parents-first", "barriers"} {
			b.Run(timing.name+"/"+schedule, func(b *testing.B) {
				var ratio float64
				for b.Loop() {
					cfg := sandbox.DefaultConfig()
					cfg.Faults.Latency, cfg.Faults.Jitter = timing.latency, timing.jitter
					var sending time.Duration
					var calls int
					if schedule == "parents-first" {
						r := runOrdersJob(b, levelJob(true, levelOrder, levelLine, levelItems), cfg, orders, lines, func(int) bool { return false })
						if r.err != nil {
							b.Fatal(r.err)
						}
						sending, calls = callWindow(r.sb.Requests())
					} else {
						sb, err := sandbox.Start(cfg, "127.0.0.1:0")
						if err != nil {
							b.Fatal(err)
						}
						seen := 0
						for _, level := range []string{levelOrder, levelLine, levelItems} {
							r := runOrdersJobOn(b, sb, levelJob(false, level), cfg, orders, lines)
							if r.err != nil {
								b.Fatal(r.err)
							}
							all := sb.Requests()
							w, n := callWindow(all[seen:])
							sending, calls, seen = sending+w, calls+n, len(all)
						}
						sb.Close()
					}
					if calls != orders*(1+2*lines) {
						b.Fatalf("%d calls, want %d", calls, orders*(1+2*lines))
					}
					mean := timing.latency + timing.jitter/2
					ideal := time.Duration(float64(calls) / conc * float64(mean))
					ratio = float64(sending) / float64(ideal)
				}
				b.ReportMetric(ratio, "x-ideal")
			})
		}
	}
}

// callWindow is the time from the first Onix Work call's arrival to the last one's answer, and
// how many calls there were (the token calls left out).
func callWindow(reqs []sandbox.Request) (time.Duration, int) {
	var first, last time.Time
	calls := 0
	for _, q := range reqs {
		if !strings.HasPrefix(strings.ToLower(q.Path), "/v1/order") {
			continue
		}
		calls++
		if first.IsZero() || q.Time.Before(first) {
			first = q.Time
		}
		last = maxTime(last, q.Done)
	}
	return last.Sub(first), calls
}

// A line mapped with orderId: parent.id is mapped again once its order is stored, with the id
// the order got: the sandbox files it under that order, though it carries no orderImportId.
func TestOnixChildMappedWithParentID(t *testing.T) {
	job := strings.Replace(onixOrdersJob, "properties: {orderImportId: row.order, orderLineImportId:",
		"properties: {orderId: parent.id, orderLineImportId:", 1)
	if job == onixOrdersJob {
		t.Fatal("the job was not changed")
	}
	r := runOrdersJob(t, job, sandbox.DefaultConfig(), 20, 3, func(int) bool { return false })
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.out.Summary.Count(record.Succeeded); got != 80 {
		t.Fatalf("%d succeeded, want 80:\n%s", got, strings.Join(reportLines(t, r.dir), "\n"))
	}
	orderID := map[string]int64{}
	for _, o := range r.sb.OnixOrders() {
		orderID[fmt.Sprint(o.Fields["orderImportId"])] = o.OrderID
	}
	for _, l := range r.sb.OnixOrderLines() {
		imp := fmt.Sprint(l.Fields["orderLineImportId"])
		order, _, _ := strings.Cut(imp, "-")
		if l.OrderID != orderID[order] || l.OrderID == 0 {
			t.Errorf("line %s is under order %d, want %d", imp, l.OrderID, orderID[order])
		}
	}
}

// A column no mapping reads is listed in the summary: nothing of it reaches the target.
func TestUnusedColumnsAreListed(t *testing.T) {
	job := strings.Replace(onixOrdersJob, "customerExternalId: row.customer", `customerExternalId: '"K-1001"'`, 1)
	r := runOrdersJob(t, job, sandbox.DefaultConfig(), 2, 1, func(int) bool { return false })
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := fmt.Sprint(r.out.Summary.Sources["lines"].UnusedColumns); got != "[customer]" {
		t.Errorf("unused columns %s, want [customer]", got)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"unusedColumns": [`) {
		t.Errorf("summary.json does not list the unused columns:\n%s", data)
	}
}

// The Web API migration sample against the sandbox: every record succeeds, which the sandbox
// allows only in the documented order (a line whose order is not stored yet, or items and
// properties of a line not stored yet, are refused with a logic error); the lines are stored
// under their orders with their serial and batch numbers and properties; and no source field is
// left unread.
func TestWebAPIMigrationSample(t *testing.T) {
	sb, err := sandbox.Start(sandbox.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	env := map[string]string{"ONIX_URL": sb.URL(), "ONIX_USERNAME": "sandbox", "ONIX_PASSWORD": "sandbox-password"}
	job, err := spec.Load("../samples/webapi-migration/job.yaml", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: t.TempDir()},
		Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Summary.Count(record.Succeeded); got != out.Summary.Count("total") || got != 11 {
		t.Errorf("%d of %d records succeeded, want all 11", got, out.Summary.Count("total"))
	}
	for name, src := range out.Summary.Sources {
		if len(src.UnusedColumns) > 0 {
			t.Errorf("source %s: fields no mapping reads: %v", name, src.UnusedColumns)
		}
	}
	orderOf := map[int64]string{}
	for _, o := range sb.OnixOrders() {
		orderOf[o.OrderID] = fmt.Sprint(o.Fields["orderImportId"])
	}
	var got []string
	for _, l := range sb.OnixOrderLines() {
		got = append(got, fmt.Sprintf("%s %s items=%v props=%v form=%v", orderOf[l.OrderID], l.Fields["orderLineImportId"], l.Items, l.Properties, l.FormProperties))
	}
	slices.Sort(got)
	want := []string{
		"20001 20001-1 items=[map[serialNumber:HJL200-0001]] props=map[Colour:Gul Note:<nil> Weight:7400] form=map[Inspected:Ja InspectionDate:2026-10-04]",
		"20001 20001-2 items=[map[serialNumber:SKF-7781] map[serialNumber:SKF-7782]] props=map[Colour:<nil> Note:<nil> Weight:<nil>] form=map[Inspected:<nil> InspectionDate:<nil>]",
		"20002 20002-1 items=[map[batchNumber:B-2026-041]] props=map[Colour:<nil> Note:Levers samlet Weight:<nil>] form=map[Inspected:<nil> InspectionDate:<nil>]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines stored:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
