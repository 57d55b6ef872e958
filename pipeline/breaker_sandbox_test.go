package pipeline_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// refusedJob sends one SiteType per row whose permission tree the sandbox does not have: the
// sandbox refuses every record with the same code.
const refusedJob = `version: 1
name: refused
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: BATCH, concurrency: CONCURRENCY, mode: MODE, retries: 3BREAKER}
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
    properties: {code: '"T" + row.id', description: row.desc, permissionTreeId: code("NO-SUCH-TREE")}
`

// A job whose every record is refused with the same code stops within its first 20 requests,
// with an abort (exit 3) naming the code; the records not sent stay pending. With the breaker off
// (submit.breaker: false) every record is sent and refused.
func TestBreakerStopsAJobRefusedThroughout(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		breaker  string
		stopped  bool
		requests int // at most, besides the preflight check
	}{
		{name: "on", rows: 5_000, breaker: "", stopped: true, requests: 20},
		{name: "off", rows: 3_000, breaker: ", breaker: false", requests: 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			files, env := rowsJob(strings.Replace(refusedJob, "BREAKER", tc.breaker, 1), cfg, tc.rows, 100, 8, "PerRecord", plainDesc, nil)
			seeds, err := sandbox.Start(cfg, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			held := sandboxHolds(t, seeds)
			seeds.Close()
			r := runOnSandbox(t, cfg, files, env)
			sent := sentRequests(r.sb)
			sum := r.out.Summary
			var abort *pipeline.AbortError
			switch {
			case tc.stopped:
				if !errors.As(r.err, &abort) || !strings.Contains(r.err.Error(), "the first 8 requests all failed the same way") ||
					!strings.Contains(r.err.Error(), "every record refused with code Core_ReferenceLookupNoMatchFound on SiteType->PermissionTree_Id") {
					t.Fatalf("run: %v; want the breaker's abort naming the code", r.err)
				}
				if sent > tc.requests {
					t.Errorf("%d requests sent, want at most %d", sent, tc.requests)
				}
				if sum.Count(record.Failed) != sent*100 || sum.Count(record.Pending) != tc.rows-sent*100 {
					t.Errorf("%d failed and %d pending after %d requests of 100", sum.Count(record.Failed), sum.Count(record.Pending), sent)
				}
			default:
				if r.err != nil || sent != tc.requests || sum.Count(record.Failed) != tc.rows {
					t.Errorf("run: %v, %d requests, %d failed; want every one of %d records sent and refused", r.err, sent, sum.Count(record.Failed), tc.rows)
				}
			}
			if n := sandboxHolds(t, r.sb); n != held {
				t.Errorf("the sandbox holds %d records, want %d (its seeds)", n, held)
			}
		})
	}
}

// An Onix Work job whose every order is refused the same way stops within its first 20 calls;
// the lines of the refused orders are skipped, the rest pending.
func TestBreakerStopsOnixWorkOrdersRefusedThroughout(t *testing.T) {
	r := runOrders(t, sandbox.DefaultConfig(), 2_000, 2, func(int) bool { return true })
	var abort *pipeline.AbortError
	if !errors.As(r.err, &abort) || !strings.Contains(r.err.Error(), `every record refused with code logic on customerExternalId; the first said "customerExternalId: External id K-BAD`) {
		t.Fatalf("run: %v; want the breaker's abort naming the refusal", r.err)
	}
	sent, sum := sentRequests(r.sb), r.out.Summary
	if sent > 20 {
		t.Errorf("%d calls sent, want at most 20", sent)
	}
	if sum.Count(record.Failed) != sent || sum.Count(record.Skipped) != 2*sent || sum.Count(record.Pending) != 3*(2_000-sent) {
		t.Errorf("%d calls: %d failed, %d skipped, %d pending", sent, sum.Count(record.Failed), sum.Count(record.Skipped), sum.Count(record.Pending))
	}
	if n := len(r.sb.OnixOrders()); n != 0 {
		t.Errorf("the sandbox holds %d orders, want none", n)
	}
}
