package targets

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPreflight: which answers to a probe stop a run before it starts, and with what reason;
// the retries of a preflight are bounded whatever the run's.
func TestPreflight(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		why      string
		requests int32
	}{
		{"a 2xx lets the run go on", http.StatusOK, "", 1},
		{"404 is nothing there", http.StatusNotFound, "HTTP 404: no such page; check target.url", 1},
		{"410 is nothing there", http.StatusGone, "HTTP 410: no such page; check target.url", 1},
		{"a 4xx about the check itself does not settle it", http.StatusBadRequest, "", 1},
		{"503 after the bounded retries does not settle it", http.StatusServiceUnavailable, "", 1 + preflightRetries},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.WriteHeader(tc.status)
				w.Write([]byte("no such page"))
			}))
			defer srv.Close()
			s := &Sender{HTTP: srv.Client(), Retries: 10, MaxAnswer: 1000, Sleep: func(context.Context, time.Duration) error { return nil }}
			why, err := s.Preflight(t.Context(), Call{Method: http.MethodGet, URL: srv.URL + "/probe"}, "check target.url")
			if err != nil || why != tc.why {
				t.Errorf("why %q, err %v; want %q", why, err, tc.why)
			}
			if got := n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		s := &Sender{HTTP: &http.Client{}, Retries: 10, Sleep: func(context.Context, time.Duration) error { return nil }}
		why, err := s.Preflight(t.Context(), Call{Method: http.MethodGet, URL: url + "/probe"}, "")
		if err != nil || !strings.HasPrefix(why, "the target cannot be reached: ") {
			t.Errorf("why %q, err %v; want the target named unreachable", why, err)
		}
	})
}
