package pipeline_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/sandbox"
)

// tuningLog is what RunOptions.WhileSending and StoreThread were called for.
type tuningLog struct {
	mu           sync.Mutex
	begun, ended int
	begin, end   time.Time
	storeThreads int
	outside      int // StoreThread calls outside the sending window
}

func (l *tuningLog) options() pipeline.RunOptions {
	return pipeline.RunOptions{
		WhileSending: func() func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.begun, l.begin = l.begun+1, time.Now()
			return func() {
				l.mu.Lock()
				defer l.mu.Unlock()
				l.ended, l.end = l.ended+1, time.Now()
			}
		},
		StoreThread: func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.storeThreads++
			if l.begun != 1 || l.ended != 0 {
				l.outside++
			}
		},
	}
}

// A run calls WhileSending once, before its first record's request leaves, and ends it once,
// after the last answer; the store's goroutines call StoreThread within that window. This is
// how cmd/bulkload's process tuning reaches the library (package pipeline changes neither
// GOMAXPROCS nor thread priorities itself).
func TestSendingTuningOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		run     func(pipeline.RunOptions) sandboxRun
		records func(sandbox.Request) bool // the calls that carry records
	}{
		{"onkey", func(ro pipeline.RunOptions) sandboxRun {
			return runJobOnSandboxWith(t, sitesJob, sandbox.DefaultConfig(), 30, 10, 2, ro)
		}, func(q sandbox.Request) bool {
			return q.Method == "POST" && strings.Contains(strings.ToLower(q.Path), "import")
		}},
		{"onixwork", func(ro pipeline.RunOptions) sandboxRun {
			cfg := sandbox.DefaultConfig()
			files, env := ordersFiles(onixOrdersJob, cfg, 4, 3, func(int) bool { return false })
			return runOnSandboxWith(t, cfg, files, env, ro)
		}, func(q sandbox.Request) bool { return strings.HasPrefix(strings.ToLower(q.Path), "/v1/order") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l tuningLog
			r := tc.run(l.options())
			if r.err != nil {
				t.Fatal(r.err)
			}
			if l.begun != 1 || l.ended != 1 {
				t.Fatalf("WhileSending begun %d times, ended %d times; want once each", l.begun, l.ended)
			}
			if l.storeThreads == 0 || l.outside > 0 {
				t.Errorf("StoreThread called %d times, %d of them outside sending; want some, all within", l.storeThreads, l.outside)
			}
			calls := 0
			for _, q := range r.sb.Requests() {
				if !tc.records(q) {
					continue
				}
				calls++
				if q.Time.Before(l.begin) || q.Done.After(l.end) {
					t.Errorf("%s %s at %v-%v, outside sending %v-%v", q.Method, q.Path, q.Time, q.Done, l.begin, l.end)
				}
			}
			if calls == 0 {
				t.Error("no call carried records")
			}
		})
	}
}
