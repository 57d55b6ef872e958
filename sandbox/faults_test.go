package sandbox

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"
)

func TestFaultKinds(t *testing.T) {
	create := importBody(siteType("A", "Create", "T1", ""))
	tests := []struct {
		name       string
		faults     func(*Faults)
		status     int    // 0: the client gets no answer
		retryAfter string // the Retry-After header expected
		fault      string
		logged     int // the status the log shows
		stored     int // SiteTypes after the call, the seeded one included
	}{
		{name: "500", faults: func(f *Faults) { f.HTTP500Rate = 1 }, status: 500, fault: FaultHTTP500, logged: 500, stored: 1},
		{name: "503", faults: func(f *Faults) { f.HTTP503Rate = 1 }, status: 503, fault: FaultHTTP503, logged: 503, stored: 1},
		{name: "429", faults: func(f *Faults) { f.HTTP429Rate = 1; f.RetryAfter = 1500 * time.Millisecond },
			status: 429, retryAfter: "2", fault: FaultHTTP429, logged: 429, stored: 1},
		{name: "reset", faults: func(f *Faults) { f.ResetRate = 1 }, fault: FaultReset, logged: 0, stored: 1},
		{name: "drop the answer after applying", faults: func(f *Faults) { f.DropResponseAfterApplyRate = 1 }, fault: FaultDropResponse, logged: 200, stored: 2},
		{name: "none", faults: func(*Faults) {}, status: 200, logged: 200, stored: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { tc.faults(&c.Faults) })
			a, err := try(s, "POST", importPath+"?mode=PerRecord", contentImport, create)
			switch {
			case tc.status == 0 && err == nil:
				t.Fatalf("got an answer %d %s, want none", a.status, a.body)
			case tc.status != 0 && (err != nil || a.status != tc.status):
				t.Fatalf("got %d %v, want %d", a.status, err, tc.status)
			}
			if a.header.Get("Retry-After") != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", a.header.Get("Retry-After"), tc.retryAfter)
			}
			if tc.status >= 500 || tc.status == 429 {
				if ms := messages(t, a.body); ms[0].Code != CodeInjectedFault {
					t.Errorf("messages %+v", ms)
				}
			}
			r := s.Requests()[0]
			if r.Fault != tc.fault || r.Status != tc.logged {
				t.Errorf("logged fault %q status %d, want %q %d", r.Fault, r.Status, tc.fault, tc.logged)
			}
			if n := len(s.Records("SiteType")); n != tc.stored {
				t.Errorf("%d SiteTypes stored, want %d", n, tc.stored)
			}
			// Inspection never meets faults.
			if a := call(t, s, "GET", "/_sandbox/requests", "", "", "Authorization", ""); a.status != 200 {
				t.Errorf("inspection: %d", a.status)
			}
		})
	}
}

// trace is the faults met by n sequential calls, as "fault/latency".
func trace(t *testing.T, seed uint64, n int) []string {
	s := start(t, func(c *Config) {
		c.Faults = Faults{Seed: seed, Latency: time.Millisecond, Jitter: 2 * time.Millisecond, RetryAfter: time.Second,
			HTTP500Rate: 0.1, HTTP503Rate: 0.1, HTTP429Rate: 0.1, ResetRate: 0.1, DropResponseAfterApplyRate: 0.1}
	})
	for range n {
		_, _ = try(s, "POST", importPath, contentImport, "[]")
	}
	var out []string
	for _, r := range s.Requests() {
		if r.Latency < time.Millisecond || r.Latency >= 3*time.Millisecond {
			t.Errorf("latency %v outside [1ms, 3ms)", r.Latency)
		}
		out = append(out, fmt.Sprintf("%s/%v", r.Fault, r.Latency))
	}
	return out
}

func TestFaultsAreDeterministicUnderASeed(t *testing.T) {
	a, b, c := trace(t, 7, 100), trace(t, 7, 100), trace(t, 8, 100)
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 twice gave different faults:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same faults")
	}
	for _, kind := range []string{FaultHTTP500, FaultHTTP503, FaultHTTP429, FaultReset, FaultDropResponse} {
		if !slices.ContainsFunc(a, func(s string) bool { return len(s) > len(kind) && s[:len(kind)+1] == kind+"/" }) {
			t.Errorf("no %s in 100 calls at rate 0.1", kind)
		}
	}
}

func TestFaultRates(t *testing.T) {
	f := Faults{Seed: 3, HTTP500Rate: 0.05, HTTP503Rate: 0.1, HTTP429Rate: 0.15, ResetRate: 0.02, DropResponseAfterApplyRate: 0.03}
	want := map[string]float64{FaultHTTP500: 0.05, FaultHTTP503: 0.1, FaultHTTP429: 0.15, FaultReset: 0.02, FaultDropResponse: 0.03, "": 0.65}
	got := map[string]float64{}
	const n = 20000
	for i := range uint64(n) {
		got[f.plan(i).kind] += 1.0 / n
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 0.01 {
			t.Errorf("rate of %q: %.3f, want %.2f", k, got[k], w)
		}
	}
}

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	s := startHooked(t, func(c *Config) { c.Faults.MaxRPS = 3 }, func(s *Server) { s.now = clock.Now })
	var got []string
	for i := range 6 {
		if i == 5 {
			clock.Advance(time.Second)
		}
		a := call(t, s, "POST", importPath, contentImport, "[]")
		got = append(got, fmt.Sprintf("%d/%s", a.status, a.header.Get("Retry-After")))
	}
	if want := []string{"200/", "200/", "200/", "429/1", "429/1", "200/"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if r := s.Requests()[3]; r.Fault != FaultRateLimit || r.Status != 429 {
		t.Errorf("logged %+v", r)
	}
}

// The bucket holds rate_burst calls and refills at max_rps a second; a call refused takes no token
// and is answered at once, before the latency the others wait.
func TestRateLimitBucket(t *testing.T) {
	clock := newFakeClock()
	s := startHooked(t, func(c *Config) {
		c.Faults.MaxRPS, c.Faults.RateBurst, c.Faults.Latency = 10, 2, 200*time.Millisecond
	}, func(s *Server) { s.now = clock.Now })
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "200/"}, {0, "200/"}, {0, "429/1"}, // the burst of 2, then empty
		{50 * time.Millisecond, "429/1"}, // half a token
		{50 * time.Millisecond, "200/"},  // a whole one
		{0, "429/1"},
		{time.Second, "200/"}, {0, "200/"}, {0, "429/1"}, // refilled to the burst, not beyond
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		begin := time.Now()
		a := call(t, s, "POST", importPath, contentImport, "[]")
		took := time.Since(begin)
		if got := fmt.Sprintf("%d/%s", a.status, a.header.Get("Retry-After")); got != st.want {
			t.Errorf("call %d: %s, want %s", i, got, st.want)
		}
		if limited := a.status == 429; limited != (took < 200*time.Millisecond) {
			t.Errorf("call %d: %d after %v; a refused call is answered at once, the others after the latency", i, a.status, took)
		}
	}
}

func TestLatency(t *testing.T) {
	s := start(t, func(c *Config) { c.Faults.Latency = 30 * time.Millisecond })
	begin := time.Now()
	call(t, s, "POST", importPath, contentImport, "[]")
	if d := time.Since(begin); d < 30*time.Millisecond {
		t.Errorf("answered after %v", d)
	}
	if r := s.Requests()[0]; r.Latency != 30*time.Millisecond || r.Fault != "" {
		t.Errorf("logged %+v", r)
	}
}
