package pipeline_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// limitedSandbox is a sandbox that lets through rps API calls a second, burst at once.
func limitedSandbox(rps, burst int) *sandbox.Config {
	cfg := sandbox.DefaultConfig()
	cfg.Faults.MaxRPS, cfg.Faults.RateBurst = rps, burst
	cfg.Faults.Latency = 5 * time.Millisecond
	return cfg
}

// limits records what RunOptions.Concurrency was told.
type limits struct {
	mu   sync.Mutex
	seen []int
}

func (l *limits) tell(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, n)
}

// heldBack counts the API calls that reached the sandbox while a Retry-After (of 1 s) it had sent
// was running: later than slack after the 429 was answered (the calls let through before the
// client read it, slowed down on a loaded machine) and before the whole second had passed.
func heldBack(reqs []sandbox.Request, slack time.Duration) (during int) {
	for _, r := range reqs {
		if r.Fault != sandbox.FaultRateLimit {
			continue
		}
		for _, q := range reqs {
			if q.Time.After(r.Done.Add(slack)) && q.Time.Before(r.Done.Add(time.Second)) {
				during++
			}
		}
	}
	return during
}

// maxInFlight is the most calls the sandbox had in flight at once.
func maxInFlight(reqs []sandbox.Request) int {
	most := 0
	for _, q := range reqs {
		n := 0
		for _, o := range reqs {
			if !o.Time.After(q.Time) && o.Done.After(q.Time) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// An On Key job with 16 in flight configured, against a sandbox limited to 100 calls a second
// (50 at once), and one that answers 503 to 30% of the calls: the 429s and 503s lower the
// concurrency (never below 1, as RunOptions.Concurrency and the summary say), no call reaches
// the sandbox while a Retry-After runs, and every record is stored once and succeeded. With
// submit.adaptive: false the concurrency stays at 16 and the other calls keep coming during a
// Retry-After.
func TestAdaptiveOnKeyUnderA429Storm(t *testing.T) {
	const records, batch, conc = 400, 8, 16
	siteTypesOnly := sitesJob[:strings.Index(sitesJob, "  - name: site\n")]
	storm := sandbox.DefaultConfig()
	storm.Faults.HTTP503Rate, storm.Faults.Latency = 0.3, 5*time.Millisecond
	tests := []struct {
		name     string
		cfg      *sandbox.Config
		adaptive bool
		fault    string // the refusals to count
	}{
		{"rate limit", limitedSandbox(20, 10), true, sandbox.FaultRateLimit},
		{"rate limit, submit.adaptive false", limitedSandbox(20, 10), false, sandbox.FaultRateLimit},
		{"503 storm", storm, true, sandbox.FaultHTTP503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := strings.Replace(siteTypesOnly, "retries: 12", fmt.Sprintf("retries: 30, adaptive: %v", tt.adaptive), 1)
			l := &limits{}
			r := runJobOnSandboxWith(t, job, tt.cfg, records, batch, conc, pipeline.RunOptions{Concurrency: l.tell})
			if r.err != nil {
				t.Fatal(r.err)
			}
			if got := r.out.Summary.Count(record.Succeeded); got != records {
				t.Errorf("%d succeeded, want %d", got, records)
			}
			stored := map[string]int{}
			for _, rec := range r.sb.Records("SiteType") {
				if rec.UserObjectID != "" {
					stored[rec.UserObjectID]++
				}
			}
			for uoid, n := range stored {
				if n != 1 {
					t.Errorf("%s stored %d times", uoid, n)
				}
			}
			if len(stored) != records {
				t.Errorf("%d SiteTypes stored, want %d", len(stored), records)
			}
			reqs := r.sb.Requests()
			refused := 0
			for _, q := range reqs {
				// The check before reading (an exists check) has a sender of its own.
				if q.Fault == tt.fault && !strings.HasSuffix(q.Path, "/existschecks") {
					refused++
				}
			}
			if refused == 0 {
				t.Fatal("the sandbox refused no call: the test proves nothing")
			}
			if n := maxInFlight(reqs); n > conc {
				t.Errorf("%d calls in flight at once, more than the %d configured", n, conc)
			}
			c := r.out.Summary.Concurrency
			during := heldBack(reqs, 300*time.Millisecond)
			t.Logf("%d calls, %d refused; concurrency %+v, limits %v; %d calls during a Retry-After", len(reqs), refused, c, l.seen, during)
			if !tt.adaptive {
				if c == nil || c.Adaptive || c.Lowest != conc || c.Final != conc || c.Configured != conc || len(l.seen) != 0 {
					t.Errorf("concurrency %+v, told %v; want 16 throughout", c, l.seen)
				}
				if during == 0 {
					t.Errorf("no call came during a Retry-After with a fixed concurrency: the check below proves nothing")
				}
				return
			}
			if during > 0 {
				t.Errorf("%d calls reached the sandbox while a Retry-After it had sent was running", during)
			}
			if c == nil || !c.Adaptive || c.Configured != conc || c.Throttled == nil || *c.Throttled != refused {
				t.Fatalf("concurrency %+v (throttled %v), want adaptive from %d with %d throttled", c, deref(c.Throttled), conc, refused)
			}
			if len(l.seen) == 0 || l.seen[0] != conc/2 {
				t.Fatalf("told of limits %v, want the first to be %d", l.seen, conc/2)
			}
			lowest := conc
			for _, n := range l.seen {
				if n < 1 || n > conc {
					t.Errorf("limit %d, outside 1..%d", n, conc)
				}
				lowest = min(lowest, n)
			}
			if c.Lowest != lowest || c.Final != l.seen[len(l.seen)-1] {
				t.Errorf("summary says lowest %d, final %d; it was told %v", c.Lowest, c.Final, l.seen)
			}
		})
	}
}

// Onix Work calls follow the target alike: orders and lines under the same limit, every one
// stored once, the concurrency lowered and in the summary.
func TestAdaptiveOnixWorkUnderA429Storm(t *testing.T) {
	const orders, linesPer = 20, 1
	job := strings.Replace(onixOrdersJob, "submit: {concurrency: 8, retries: 8}", "submit: {concurrency: 16, retries: 30}", 1)
	files, env := ordersFiles(job, limitedSandbox(20, 10), orders, linesPer, func(int) bool { return false })
	l := &limits{}
	r := runOnSandboxWith(t, limitedSandbox(20, 10), files, env, pipeline.RunOptions{Concurrency: l.tell})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got, want := r.out.Summary.Count(record.Succeeded), orders*(1+linesPer); got != want {
		t.Errorf("%d succeeded, want %d", got, want)
	}
	seen := map[string]int{}
	for _, o := range r.sb.OnixOrders() {
		seen[fmt.Sprint(o.Fields["orderImportId"])]++
	}
	if len(seen) != orders {
		t.Errorf("%d orders stored, want %d", len(seen), orders)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("order %s stored %d times", id, n)
		}
	}
	c := r.out.Summary.Concurrency
	if c == nil || !c.Adaptive || c.Configured != 16 || c.Lowest >= 16 || c.Lowest < 1 || c.Throttled == nil || *c.Throttled == 0 {
		t.Errorf("concurrency %+v, want lowered from 16 by the 429s", c)
	}
	if during := heldBack(r.sb.Requests(), 300*time.Millisecond); during > 0 {
		t.Errorf("%d calls reached the sandbox while a Retry-After it had sent was running", during)
	}
}

func deref(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// Stop closed while a Retry-After holds the requests back: the held ones never leave (no call
// reaches the sandbox after the stop but those already let through, within 300 ms, well before
// the Retry-After of 1 s would have let the held ones go), their records are pending,
// none unknown, and every record the sandbox stored is succeeded in the report.
func TestAdaptiveStopWhileHeldBack(t *testing.T) {
	siteTypesOnly := sitesJob[:strings.Index(sitesJob, "  - name: site\n")]
	stop := make(chan struct{})
	var once sync.Once
	var stopped time.Time
	r := runJobOnSandboxWith(t, siteTypesOnly, limitedSandbox(20, 10), 400, 8, 16, pipeline.RunOptions{Stop: stop,
		Concurrency: func(int) { once.Do(func() { stopped = time.Now(); close(stop) }) }})
	if r.err != pipeline.Interrupted {
		t.Fatalf("error %v, want Interrupted", r.err)
	}
	sum := r.out.Summary
	if sum.Count(record.Pending) == 0 || sum.Count(record.Unknown) != 0 ||
		sum.Count(record.Pending)+sum.Count(record.Succeeded) != 400 {
		t.Errorf("records %v; want the held-back ones pending, the rest succeeded, none unknown", sum.Records)
	}
	if got := countCreated(r.sb, "SiteType"); got != sum.Count(record.Succeeded) {
		t.Errorf("%d stored, %d succeeded", got, sum.Count(record.Succeeded))
	}
	for _, q := range r.sb.Requests() {
		if q.Time.After(stopped.Add(300 * time.Millisecond)) {
			t.Errorf("call %d reached the sandbox %v after the stop", q.Seq, q.Time.Sub(stopped))
		}
	}
}
