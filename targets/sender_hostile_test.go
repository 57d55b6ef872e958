package targets

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/targets/internal/hostile"
)

// TestSendHostileAnswers sends a call to targets that answer badly. Each call ends within Timeout
// per attempt, retries only what may succeed later, and either returns the answer (its body for
// the target's decoder, whose messages use Snippet) or an error that says in one short line what
// came back.
func TestSendHostileAnswers(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name       string
		handler    http.Handler
		idempotent bool
		status     int    // the answer wanted; 0 when an error is wanted
		attempts   int    // requests the target saw
		snippet    string // Snippet of the answer's body
		err        string // a regular expression the whole error must match
		slow       bool   // the call must take Timeout per attempt
	}{
		{name: "HTML login page with 200", handler: hostile.Body(200, "text/html; charset=utf-8", hostile.LoginPage),
			status: 200, attempts: 1, snippet: `an HTML page titled "Sign in – Acme SSO"`},
		{name: "HTML error page with 500 is retried", handler: hostile.Body(500, "text/html", hostile.ErrorPage),
			status: 500, attempts: 2, snippet: `an HTML page titled "500 Internal Server Error"`},
		{name: "JSON cut short", handler: hostile.Body(200, "application/json", `{"messages":[{"code":"X","mess`),
			status: 200, attempts: 1, snippet: `{"messages":[{"code":"X","mess`},
		{name: "binary garbage", handler: hostile.Body(200, "application/octet-stream", "\x00\x1b[31m\xff\xfe\r\nend\u202e"),
			status: 200, attempts: 1, snippet: "\ufffd\ufffd[31m\ufffd\ufffd end\ufffd"},
		{name: "empty 200", handler: hostile.Body(200, "", ""), status: 200, attempts: 1, snippet: "(empty body)"},
		{name: "empty 500 is retried", handler: hostile.Body(500, "", ""), status: 500, attempts: 2, snippet: "(empty body)"},
		{name: "huge 200 is not retried", handler: hostile.Huge(200, 1<<20, false), idempotent: true, attempts: 1,
			err: `^no usable answer after 1 attempt\(s\); the request may have been applied: HTTP 200 \(application/json\) answer larger than the limit of 1000 bytes: \[\{"userObjectId":"A0","status":"Succeeded","messages":\[\]\},.*…$`},
		{name: "huge 200 with its size announced", handler: hostile.Huge(200, 1<<20, true), idempotent: true, attempts: 1,
			err: `^no usable answer after 1 attempt\(s\); the request may have been applied: HTTP 200 \(application/json\) answer of \d+ bytes, larger than the limit of 1000 bytes: \[\{"userObjectId":"A0".*…$`},
		{name: "huge 500 is retried", handler: hostile.Huge(500, 1<<20, false), idempotent: true, attempts: 2,
			err: `^no usable answer after 2 attempt\(s\); the request may have been applied: HTTP 500 \(application/json\) answer larger than the limit of 1000 bytes: \[\{"userObjectId":"A0".*…$`},
		{name: "never-ending body of a Create", handler: hostile.Trickle(200, 100*time.Millisecond), attempts: 1, slow: true,
			err: `^no usable answer after 1 attempt\(s\); the request may have been applied: HTTP 200 \(application/json\) answer not finished within 400ms(; \d+ bytes came: \[.*|; no body came)$`},
		{name: "never-ending body of an idempotent call is retried", handler: hostile.Trickle(200, 100*time.Millisecond), idempotent: true, attempts: 2, slow: true,
			err: `^no usable answer after 2 attempt\(s\); the request may have been applied: HTTP 200 \(application/json\) answer not finished within 400ms(; \d+ bytes came: \[.*|; no body came)$`},
		{name: "no answer at all", handler: hostile.Silent(), attempts: 1, slow: true,
			err: `^no answer after 1 attempt\(s\); the request may have been applied: Post "http://127\.0\.0\.1:\d+": no response within 400ms$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := hostile.Counting(tc.handler)
			defer srv.Close()
			s := &Sender{HTTP: srv.Client(), Retries: 1, MaxAnswer: 1000, Timeout: timeout,
				Sleep: func(context.Context, time.Duration) error { return nil }}
			start := time.Now()
			ans, err := s.Send(t.Context(), Call{Method: "POST", URL: srv.URL, Body: []byte("[]"), Idempotent: tc.idempotent})
			took := time.Since(start)
			srv.Close() // waits for the handlers: they stop when the client goes away

			if tc.err != "" {
				if err == nil {
					t.Fatalf("answer %d, want an error matching %s", ans.Status, tc.err)
				}
				t.Logf("error: %s", err)
				if !regexp.MustCompile(tc.err).MatchString(err.Error()) {
					t.Errorf("error\n %s\nwant one matching\n %s", err, tc.err)
				}
				if msg := err.Error(); len([]rune(msg)) > 400 || strings.ContainsAny(msg, "\r\n") {
					t.Errorf("the error is %d characters long or has a line break", len([]rune(msg)))
				}
			} else {
				if err != nil {
					t.Fatalf("error %v, want answer %d", err, tc.status)
				}
				if got := Snippet(ans.Body); ans.Status != tc.status || got != tc.snippet {
					t.Errorf("answer %d %q, want %d %q", ans.Status, got, tc.status, tc.snippet)
				}
				t.Logf("answer: HTTP %d: %s", ans.Status, Snippet(ans.Body))
			}
			hostile.CheckCall(t, int(calls.Load()), tc.attempts, took, timeout)
			if tc.slow && took < time.Duration(tc.attempts)*timeout {
				t.Errorf("the call took %v, want %v per attempt (%d)", took, timeout, tc.attempts)
			}
		})
	}
}
