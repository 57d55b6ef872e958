package targets

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Every attempt goes through the Sender's Adaptive and tells it its answer, retries included.
func TestSendTellsTheAdaptive(t *testing.T) {
	tests := []struct {
		name       string
		steps      []string
		idempotent bool
		close      bool // the Adaptive is closed while the Sender waits to retry
		attempts   int  // requests the server saw
		wantErr    func(error) bool
		stats      AdaptiveStats
	}{
		{name: "clean answers", steps: []string{"200"}, attempts: 1, stats: AdaptiveStats{Configured: 4, Lowest: 4, Final: 4}},
		{name: "a 429 then success", steps: []string{"429 after 0", "200"}, attempts: 2,
			stats: AdaptiveStats{Configured: 4, Lowest: 2, Final: 2, Throttled: 1}},
		{name: "503s retried", steps: []string{"503", "503", "200"}, attempts: 3,
			stats: AdaptiveStats{Configured: 4, Lowest: 1, Final: 2, Throttled: 2}}, // 4, 2, 1, and the 200 a window at 1
		{name: "a 500 says nothing of the pace", steps: []string{"500", "200"}, attempts: 2,
			stats: AdaptiveStats{Configured: 4, Lowest: 4, Final: 4}},
		{name: "closed before the retry: not sent again", steps: []string{"429 after 0"}, close: true, attempts: 1,
			wantErr: func(err error) bool { return errors.Is(err, ErrClosed) },
			stats:   AdaptiveStats{Configured: 4, Lowest: 2, Final: 2, Throttled: 1}},
		{name: "closed before the retry of a call that may have landed: ambiguous", steps: []string{"reset"}, idempotent: true,
			close: true, attempts: 1,
			wantErr: func(err error) bool {
				var te *TransportError
				return errors.As(err, &te) && te.Ambiguous && te.Attempts == 1 && !errors.Is(err, ErrClosed)
			},
			stats: AdaptiveStats{Configured: 4, Lowest: 4, Final: 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := &script{steps: tc.steps}
			srv := httptest.NewServer(sc)
			defer srv.Close()
			a := NewAdaptive(4, nil, nil)
			s := &Sender{HTTP: srv.Client(), Retries: 3, Adaptive: a,
				Sleep: func(context.Context, time.Duration) error {
					if tc.close {
						a.Close()
					}
					return nil
				}}
			_, err := s.Send(t.Context(), Call{Method: "POST", URL: srv.URL, Body: []byte("[]"), Idempotent: tc.idempotent})
			srv.Close()
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("error %v", err)
			case tc.wantErr != nil && !tc.wantErr(err):
				t.Fatalf("error %v, not the one wanted", err)
			}
			if sc.calls != tc.attempts {
				t.Errorf("the server saw %d request(s), want %d", sc.calls, tc.attempts)
			}
			if got := a.Stats(); got != tc.stats {
				t.Errorf("stats %+v, want %+v", got, tc.stats)
			}
			if a.InFlight() != 0 {
				t.Errorf("%d still in flight", a.InFlight())
			}
		})
	}
}

// A 429 with Retry-After: 1 holds back every other call's request, not only the retry of the call
// that got it: no request reaches the server within a second of that answer.
func TestSendHoldsEveryCallForRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var answered time.Time
	var arrivals []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		arrivals = append(arrivals, time.Now())
		if len(arrivals) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			answered = time.Now()
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	a := NewAdaptive(4, nil, nil)
	s := &Sender{HTTP: srv.Client(), Retries: 2, Adaptive: a, Backoff: Backoff{Base: time.Millisecond}}
	call := Call{Method: "POST", URL: srv.URL, Body: []byte("[]"), Idempotent: true}
	first := make(chan error, 1)
	go func() { _, err := s.Send(t.Context(), call); first <- err }()
	for a.Stats().Throttled == 0 {
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if ans, err := s.Send(t.Context(), call); err != nil || ans.Status != 200 {
				t.Errorf("answer %v, error %v", ans, err)
			}
		})
	}
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(arrivals) != 5 {
		t.Fatalf("%d requests, want 5", len(arrivals))
	}
	for i, at := range arrivals[1:] {
		if d := at.Sub(answered); d < time.Second {
			t.Errorf("request %d arrived %v after the 429, before its Retry-After of 1s", i+2, d)
		}
	}
}
