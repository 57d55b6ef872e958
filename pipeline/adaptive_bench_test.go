package pipeline_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// BenchmarkAdaptiveRateLimit sends 4,000 records in On Key batches of 2 (2,000 calls: small
// batches, so that the run store's work per call stays small and the figure is about pacing, not
// this machine's cores), 32 configured in flight, to a sandbox that lets through 200 calls a
// second (a token bucket of 200, answering 429 with Retry-After beyond it) and waits 20 ms in
// each: about 4 calls in flight keep to the limit. The most any window of W seconds can accept
// is 200 x W plus the bucket's 200. It reports the accepted calls over the whole run (from the
// first call to the last answer) as a share of that most (%limit: what the run sustained, start
// and tail included), the rate of those answered between the 10th and the 90th percentile as a
// share of 200 a second (%limit-10-90: above 100 when the bucket refilled while the run was
// slow), the share of calls answered 429 (%429), and the lowest and final concurrency. "fixed"
// is the same run with submit.adaptive: false.
func BenchmarkAdaptiveRateLimit(b *testing.B) {
	const records, batch, conc, rps = 4000, 2, 32, 200
	siteTypesOnly := sitesJob[:strings.Index(sitesJob, "  - name: site\n")]
	for _, adaptive := range []bool{true, false} {
		name := "adaptive"
		if !adaptive {
			name = "fixed"
		}
		b.Run(name, func(b *testing.B) {
			job := strings.Replace(siteTypesOnly, "retries: 12", fmt.Sprintf("retries: 100, adaptive: %v", adaptive), 1)
			var reqs []sandbox.Request
			var c *record.Concurrency
			for b.Loop() {
				cfg := sandbox.DefaultConfig()
				cfg.Faults.MaxRPS, cfg.Faults.Latency = rps, 20*time.Millisecond
				cfg.LogRequests = 1 << 20
				r := runJobOnSandbox(b, job, cfg, records, batch, conc, "PerRecord", plainDesc, nil)
				if r.err != nil {
					b.Fatal(r.err)
				}
				if got := r.out.Summary.Count(record.Succeeded); got != records {
					b.Fatalf("%d records succeeded, want %d", got, records)
				}
				reqs, c = r.sb.Requests(), r.out.Summary.Concurrency
			}
			var accepted []time.Time
			refused := 0
			first, last := reqs[0].Time, reqs[0].Done
			for _, q := range reqs {
				if isPreflight(q) {
					continue
				}
				first, last = minTime(first, q.Time), maxTime(last, q.Done)
				if q.Fault == sandbox.FaultRateLimit {
					refused++
				} else {
					accepted = append(accepted, q.Done)
				}
			}
			slices.SortFunc(accepted, func(a, b time.Time) int { return a.Compare(b) })
			lo, hi := len(accepted)/10, len(accepted)*9/10
			most := rps*last.Sub(first).Seconds() + rps // the bucket holds rps
			b.ReportMetric(100*float64(len(accepted))/most, "%limit")
			b.ReportMetric(100*float64(hi-lo)/accepted[hi].Sub(accepted[lo]).Seconds()/rps, "%limit-10-90")
			b.ReportMetric(100*float64(refused)/float64(refused+len(accepted)), "%429")
			b.ReportMetric(float64(c.Lowest), "lowest")
			b.ReportMetric(float64(c.Final), "final")
		})
	}
}
