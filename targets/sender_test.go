package targets

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// script is a test server that answers each request with the next step: a status (with an
// optional Retry-After), or "reset" to drop the connection after reading the request.
type script struct {
	mu      sync.Mutex
	steps   []string
	calls   int
	headers []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	step := "200"
	if s.calls < len(s.steps) {
		step = s.steps[s.calls]
	}
	s.calls++
	s.headers = append(s.headers, r.Header.Get("Authorization"))
	s.mu.Unlock()
	switch {
	case step == "reset":
		panic(http.ErrAbortHandler)
	case strings.HasPrefix(step, "429 after "):
		w.Header().Set("Retry-After", strings.TrimPrefix(step, "429 after "))
		w.WriteHeader(http.StatusTooManyRequests)
	case step == "big":
		w.WriteHeader(200)
		_, _ = w.Write([]byte(strings.Repeat("x", 2000)))
	default:
		var code int
		for _, c := range step {
			code = code*10 + int(c-'0')
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"answer":"` + step + `"}`))
	}
}

// refreshing hands out token-1, token-2, ... and counts refreshes.
type refreshing struct {
	mu        sync.Mutex
	n         int
	refreshes int
}

func (a *refreshing) Header(context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return "Bearer token-" + string(rune('1'+a.n)), nil
}

func (a *refreshing) Refresh(_ context.Context, stale string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if stale == "Bearer token-"+string(rune('1'+a.n)) {
		a.n++
		a.refreshes++
	}
	return nil
}

func TestSend(t *testing.T) {
	tests := []struct {
		name       string
		steps      []string
		idempotent bool
		auth       Authorizer
		status     int    // the final answer's status; 0 when an error is wanted
		attempts   int    // requests the server saw
		err        string // the error wanted
		minWait    time.Duration
	}{
		{name: "answered at once", steps: []string{"200"}, status: 200, attempts: 1},
		{name: "a 4xx is final", steps: []string{"400"}, status: 400, attempts: 1},
		{name: "5xx retried until success", steps: []string{"500", "503", "200"}, status: 200, attempts: 3},
		{name: "retries used up returns the last answer", steps: []string{"500", "500", "500", "500"}, status: 500, attempts: 4},
		{name: "429 honours Retry-After", steps: []string{"429 after 7", "200"}, status: 200, attempts: 2, minWait: 7 * time.Second},
		{name: "401 refreshes the token once", steps: []string{"401", "200"}, auth: &refreshing{}, status: 200, attempts: 2},
		{name: "401 after a fresh token aborts", steps: []string{"401", "401"}, auth: &refreshing{}, attempts: 2, err: "refused the credentials (HTTP 401) after a fresh token"},
		{name: "a fixed token refused aborts at once", steps: []string{"403"}, auth: &staticAuth{header: "Bearer x"}, attempts: 1, err: "cannot be refreshed"},
		{name: "a reset of a Create is not resent", steps: []string{"reset"}, attempts: 1, err: "the request may have been applied"},
		{name: "a reset of an idempotent call is resent", steps: []string{"reset", "200"}, idempotent: true, status: 200, attempts: 2},
		{name: "an endless answer is refused", steps: []string{"big"}, idempotent: false, attempts: 1, err: "larger than the limit of 1000 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := &script{steps: tc.steps}
			srv := httptest.NewServer(sc)
			defer srv.Close()
			var waited time.Duration
			s := &Sender{HTTP: srv.Client(), Auth: tc.auth, Retries: 3, MaxAnswer: 1000,
				Sleep: func(_ context.Context, d time.Duration) error { waited += d; return nil }}
			ans, err := s.Send(t.Context(), Call{Method: "POST", URL: srv.URL, Body: []byte("[]"), Idempotent: tc.idempotent})
			srv.Close() // waits for the handlers, so sc is settled
			sc.mu.Lock()
			defer sc.mu.Unlock()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
			} else {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if ans.Status != tc.status || ans.Attempts != sc.calls {
					t.Errorf("answer %d after %d attempt(s), want %d after %d", ans.Status, ans.Attempts, tc.status, sc.calls)
				}
			}
			if sc.calls != tc.attempts {
				t.Errorf("the server saw %d request(s), want %d", sc.calls, tc.attempts)
			}
			if waited < tc.minWait {
				t.Errorf("waited %v, want at least %v", waited, tc.minWait)
			}
			if r, ok := tc.auth.(*refreshing); ok && r.refreshes != 1 {
				t.Errorf("%d refreshes, want 1", r.refreshes)
			}
		})
	}
}

func TestSendUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now: every dial fails
	var sleeps atomic.Int32
	s := &Sender{Retries: 2, Sleep: func(context.Context, time.Duration) error { sleeps.Add(1); return nil }}
	_, err = s.Send(t.Context(), Call{Method: "POST", URL: "http://" + addr + "/x"})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("error %v, want a *TransportError", err)
	}
	if te.Ambiguous || te.Attempts != 3 || sleeps.Load() != 2 {
		t.Errorf("ambiguous %v after %d attempts and %d waits; want a clear failure after 3 attempts and 2 waits", te.Ambiguous, te.Attempts, sleeps.Load())
	}
}

func TestRefreshIsShared(t *testing.T) {
	// Eight workers see the same stale token refused: one new token is fetched, not eight.
	a := &refreshing{}
	stale, _ := a.Header(t.Context())
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = a.Refresh(t.Context(), stale) }()
	}
	wg.Wait()
	if a.refreshes != 1 {
		t.Errorf("%d refreshes, want 1", a.refreshes)
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second, Rand: func() float64 { return 0.999999 }}
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 9: time.Second} {
		if got := b.Wait(attempt, 0); got > want || got < want*99/100 {
			t.Errorf("Wait(%d) = %v, want about %v", attempt, got, want)
		}
	}
	if got := b.Wait(1, 30*time.Second); got != 30*time.Second {
		t.Errorf("Retry-After 30s gave a wait of %v", got)
	}
	if got := b.Wait(1, time.Hour); got != 2*time.Minute {
		t.Errorf("Retry-After 1h gave a wait of %v, want the 2m cap", got)
	}
	h := http.Header{}
	h.Set("Retry-After", "Wed, 25 Nov 2026 10:00:30 GMT")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	if got := RetryAfter(h, now); got != 30*time.Second {
		t.Errorf("RetryAfter(date) = %v, want 30s", got)
	}
}
