package pipeline_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// BenchmarkOnKeySend measures the sending phase of a 50k-record import (500 calls: long enough
// for a steady state of over a second between ramp-up and tail) against a server that
// waits 20 ms in every call, with batches of 100 and 8 calls in flight: the ideal is
// 8 x 100 / 20 ms = 40,000 records a second. It reports records/s over the window from the
// first call's arrival to the last call's answer, that as a share of the ideal (%ideal), the
// server's mean time per call (ms/call: the 20 ms plus its own work, and on a loaded machine the
// timer's lateness), the sustained rate as a share of what that delivered latency allows
// (%delivered-sustained: concurrency x batch / ms/call), and how busy the 8 slots
// were over the window (%busy: the sum of the calls' times over 8 x the window), which is what
// the pipeline controls: 100% means a call was always in each slot.
//
// Three servers: "sandbox", whose own work (decoding, converters, storing, under one lock) adds
// to every call and shares the 2 cores with the pipeline; "minimal", which only decodes the
// batch and answers success; and "bare", which reads the request and answers 200 with no body,
// to show the pipeline's own limit. "raw" is no run at all: plain net/http posting the same
// number of batch-sized bodies to the bare server from 8 goroutines, the most this machine's
// HTTP stack allows; the pipeline's share of it is bare over raw, measured in the same run.
func BenchmarkOnKeySend(b *testing.B) {
	const records, batch, concurrency, latency = 50000, 100, 8, 20 * time.Millisecond
	siteTypesOnly := sitesJob[:strings.Index(sitesJob, "  - name: site\n")]
	for _, server := range []string{"sandbox", "minimal", "bare", "raw"} {
		b.Run(server, func(b *testing.B) {
			var calls []call
			for b.Loop() {
				var r sandboxRun
				if server == "sandbox" {
					cfg := sandbox.DefaultConfig()
					cfg.Faults.Latency = latency
					r = runJobOnSandbox(b, siteTypesOnly, cfg, records, batch, concurrency, "PerRecord", plainDesc, nil)
					calls = nil
					for _, q := range r.sb.Requests() {
						calls = append(calls, call{q.Time, q.Done})
					}
				} else if server == "bare" {
					srv, log := bareServer(latency)
					r = runJobOnSandbox(b, strings.Replace(siteTypesOnly, "${SANDBOX_URL}", srv.URL, 1), sandbox.DefaultConfig(),
						records, batch, concurrency, "PerRecord", plainDesc, nil)
					srv.Close()
					calls = log.calls
				} else if server == "raw" {
					srv, log := bareServer(latency)
					postRaw(b, srv.URL, records/batch, concurrency, batch)
					srv.Close()
					calls = log.calls
					continue // no run to check
				} else {
					f := &fakeOnKey{delay: latency, token: "sandbox-token"}
					srv := httptest.NewServer(f)
					r = runJobOnSandbox(b, strings.Replace(siteTypesOnly, "${SANDBOX_URL}", srv.URL, 1), sandbox.DefaultConfig(),
						records, batch, concurrency, "PerRecord", plainDesc, nil)
					srv.Close()
					calls = nil
					for _, q := range f.log {
						calls = append(calls, call{q.start, q.end})
					}
				}
				if r.err != nil {
					b.Fatal(r.err)
				}
				if got := r.out.Summary.Count(record.Succeeded); got != records {
					b.Fatalf("%d records succeeded, want %d", got, records)
				}
			}
			first, last := calls[0].start, calls[0].end
			var inCalls time.Duration
			for _, c := range calls {
				first, last = minTime(first, c.start), maxTime(last, c.end)
				inCalls += c.end.Sub(c.start)
			}
			window := last.Sub(first)
			rate := float64(records) / window.Seconds()
			ideal := float64(concurrency*batch) / latency.Seconds()
			b.ReportMetric(rate, "records/s")
			b.ReportMetric(100*rate/ideal, "%ideal")
			b.ReportMetric(100*sustained(calls, batch)/ideal, "%ideal-sustained")
			perCall := inCalls / time.Duration(len(calls))
			b.ReportMetric(100*sustained(calls, batch)/(float64(concurrency*batch)/perCall.Seconds()), "%delivered-sustained")
			b.ReportMetric(float64(perCall.Microseconds())/1000, "ms/call")
			b.ReportMetric(100*inCalls.Seconds()/(concurrency*window.Seconds()), "%busy")
		})
	}
}

// callLog is what a server saw of its calls.
type callLog struct {
	mu    sync.Mutex
	calls []call
}

// bareServer answers every call 200 with no body after reading it and waiting latency, and
// logs each call.
func bareServer(latency time.Duration) (*httptest.Server, *callLog) {
	log := &callLog{}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		start := time.Now()
		_, _ = io.Copy(io.Discard, req.Body)
		time.Sleep(latency)
		log.mu.Lock()
		log.calls = append(log.calls, call{start, time.Now()})
		log.mu.Unlock()
	})), log
}

// postRaw is plain net/http in the shape of the benchmark's run, with nothing of bulkload: n
// POSTs of a body of batch records, from concurrency goroutines on kept-alive connections.
func postRaw(b *testing.B, url string, n, concurrency, batch int) {
	body := []byte("[" + strings.TrimSuffix(strings.Repeat(`{"entityType":"SiteType","action":"Merge","userObjectId":"T00001","id":{"converter":"ReferenceLookup","code":"T00001"},"properties":{"code":"T00001","description":"Type 1","permissionTreeId":{"converter":"ReferenceLookup","code":"A20"}}},`, batch), ",") + "]")
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = concurrency
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
}

// call is one request as a server saw it.
type call struct{ start, end time.Time }

// sustained is the rate in steady state: the records of the calls answered between the 10th and
// the 90th percentile of the answers, over that time, leaving out the ramp-up (slots filling) and
// the tail (slots emptying as the last calls finish).
func sustained(calls []call, batch int) float64 {
	ends := make([]time.Time, len(calls))
	for i, c := range calls {
		ends[i] = c.end
	}
	slices.SortFunc(ends, func(a, b time.Time) int { return a.Compare(b) })
	lo, hi := len(ends)/10, len(ends)*9/10
	return float64((hi-lo)*batch) / ends[hi].Sub(ends[lo]).Seconds()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
