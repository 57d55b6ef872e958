package pipeline_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/sandbox"
)

// BenchmarkAdaptiveRateLimit sends 20,000 records in On Key batches of 10 (2,000 calls), 32
// configured in flight, to a sandbox that lets through 200 calls a second (a token bucket of 200,
// answering 429 with Retry-After beyond it) and waits 20 ms in each: about 4 calls in flight
// keep to the limit. It reports the calls the sandbox accepted a second in steady state (between
// the 10th and the 90th percentile of the accepted calls' answers, leaving out the first second's
// burst and the tail) as a share of the limit (%limit-sustained), the same over the whole window
// from the first call to the last answer (%limit), the share of calls answered 429 (%429), and
// the lowest and final concurrency. "fixed" is the same run with submit.adaptive: false.
func BenchmarkAdaptiveRateLimit(b *testing.B) {
	const records, batch, conc, rps = 20000, 10, 32, 200
	siteTypesOnly := sitesJob[:strings.Index(sitesJob, "  - name: site\n")]
	for _, adaptive := range []bool{true, false} {
		name := "adaptive"
		if !adaptive {
			name = "fixed"
		}
		b.Run(name, func(b *testing.B) {
			job := strings.Replace(siteTypesOnly, "retries: 12", fmt.Sprintf("retries: 100, adaptive: %v", adaptive), 1)
			var reqs []sandbox.Request
			var c *pipeline.Concurrency
			for b.Loop() {
				cfg := sandbox.DefaultConfig()
				cfg.Faults.MaxRPS, cfg.Faults.Latency = rps, 20*time.Millisecond
				cfg.LogRequests = 1 << 20
				r := runJobOnSandbox(b, job, cfg, records, batch, conc, "PerRecord", plainDesc, nil)
				if r.err != nil {
					b.Fatal(r.err)
				}
				if got := r.out.Summary.Count(pipeline.Succeeded); got != records {
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
			b.ReportMetric(100*float64(hi-lo)/accepted[hi].Sub(accepted[lo]).Seconds()/rps, "%limit-sustained")
			b.ReportMetric(100*float64(len(accepted))/last.Sub(first).Seconds()/rps, "%limit")
			b.ReportMetric(100*float64(refused)/float64(refused+len(accepted)), "%429")
			b.ReportMetric(float64(c.Lowest), "lowest")
			b.ReportMetric(float64(c.Final), "final")
		})
	}
}
