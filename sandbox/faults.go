package sandbox

import (
	"bytes"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Fault names, as Request.Fault shows the fault applied to a request.
const (
	FaultHTTP500      = "http500"                   // answered 500 unprocessed
	FaultHTTP503      = "http503"                   // answered 503 unprocessed
	FaultHTTP429      = "http429"                   // answered 429 + Retry-After unprocessed
	FaultRateLimit    = "rate_limit"                // beyond faults.max_rps: 429 + Retry-After
	FaultReset        = "reset"                     // connection reset unprocessed
	FaultDropResponse = "drop_response_after_apply" // processed, then the connection reset
)

// faultPlan is what happens to one API call.
type faultPlan struct {
	latency time.Duration
	kind    string // one of the Fault names but FaultRateLimit, or ""
}

// plan decides the faults of the seq-th API call (0-based, in arrival order). It is a pure
// function of f and seq, so a run that makes the same calls in the same order meets the same
// faults whatever the timing.
func (f *Faults) plan(seq uint64) faultPlan {
	rng := rand.New(rand.NewPCG(f.Seed, seq))
	u, j := rng.Float64(), rng.Float64()
	p := faultPlan{latency: f.Latency + time.Duration(j*float64(f.Jitter))}
	for _, c := range []struct {
		rate float64
		kind string
	}{{f.HTTP500Rate, FaultHTTP500}, {f.HTTP503Rate, FaultHTTP503}, {f.HTTP429Rate, FaultHTTP429},
		{f.ResetRate, FaultReset}, {f.DropResponseAfterApplyRate, FaultDropResponse}} {
		if u < c.rate {
			p.kind = c.kind
			break
		}
		u -= c.rate
	}
	return p
}

// rateLimited takes a token for an API call from the faults.max_rps bucket and reports whether
// there was none, with the whole seconds (at least 1) until there is one. A refused call takes
// no token.
func (s *Server) rateLimited() (retryAfter int, limited bool) {
	if s.bucket == nil {
		return 0, false
	}
	s.state.Lock() // one clock reading after another: the bucket sees time in order
	defer s.state.Unlock()
	now := s.now()
	if s.bucket.AllowN(now, 1) {
		return 0, false
	}
	r := s.bucket.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return max(1, int(math.Ceil(wait.Seconds()))), true
}

// retryAfterSeconds is faults.retry_after in whole seconds, rounded up.
func (f *Faults) retryAfterSeconds() int { return int(math.Ceil(f.RetryAfter.Seconds())) }

// injectFault answers the outcome of kind (500, 503, 429 or a reset) without processing, with
// error bodies written by fail (in the shape of the API called).
func (s *Server) injectFault(w http.ResponseWriter, kind string, fail func(w http.ResponseWriter, status int, code, text string)) {
	switch kind {
	case FaultHTTP500:
		fail(w, http.StatusInternalServerError, CodeInjectedFault, "Injected fault: internal server error.")
	case FaultHTTP503:
		fail(w, http.StatusServiceUnavailable, CodeInjectedFault, "Injected fault: service unavailable.")
	case FaultHTTP429:
		w.Header().Set("Retry-After", strconv.Itoa(s.cfg.Faults.retryAfterSeconds()))
		fail(w, http.StatusTooManyRequests, CodeInjectedFault, "Injected fault: too many requests.")
	case FaultReset:
		resetConn(w)
	}
}

// resetConn takes the connection over and closes it at once (with SO_LINGER 0: a TCP reset),
// so the client gets no answer. Where the connection cannot be taken over (HTTP/2) the handler
// aborts instead.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// bufferedWriter holds an answer that will never be sent (FaultDropResponse).
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header {
	if b.header == nil {
		b.header = http.Header{}
	}
	return b.header
}

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
