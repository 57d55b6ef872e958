package onixwork

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/internal/hostile"
)

// TestHostileAnswers sends one record's call to targets that answer badly, through the Sender
// the pipeline uses, and reads the answer as the pipeline does: each case ends within the
// Sender's Timeout per attempt with an outcome whose message says, in one short line, what came
// back.
func TestHostileAnswers(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name     string
		handler  http.Handler
		attempts int
		want     string // as outcome renders it
		prefix   bool   // want is the start of the outcome (the rest depends on timing)
	}{
		{name: "HTML login page with 200", handler: hostile.Body(200, "text/html", hostile.LoginPage), attempts: 1,
			want: `unknown: HTTP 200, but the answer is not JSON: an HTML page titled "Sign in – Acme SSO"`},
		{name: "HTML error page with 500", handler: hostile.Body(500, "text/html", hostile.ErrorPage), attempts: 2,
			want: `failed: HTTP500: HTTP 500: an HTML page titled "500 Internal Server Error"`},
		{name: "JSON cut short", handler: hostile.Body(200, "application/json", `{"id":100`), attempts: 1,
			want: `unknown: HTTP 200, but the answer is not JSON: {"id":100`},
		{name: "garbage 400", handler: hostile.Body(400, "text/plain", "Bad Request\r\n\r\nline two"), attempts: 1,
			want: `failed: HTTP400: HTTP 400: Bad Request line two`},
		{name: "empty 200", handler: hostile.Body(200, "", ""), attempts: 1,
			want: `unknown: HTTP 200, but the answer is empty: it should hold the record's id or true`},
		{name: "empty 500", handler: hostile.Body(500, "", ""), attempts: 2,
			want: `failed: HTTP500: HTTP 500: (empty body)`},
		{name: "huge 200 is not retried", handler: hostile.Huge(200, 1<<20, false), attempts: 1,
			want: `unknown: no usable answer after 1 attempt(s); the request may have been applied: HTTP 200 (application/json) answer larger than the limit of 1000 bytes: [{"userObjectId":"A0",`, prefix: true},
		{name: "never-ending 200 is retried (the call is idempotent)", handler: hostile.Trickle(200, 100*time.Millisecond), attempts: 2,
			want: `unknown: no usable answer after 2 attempt(s); the request may have been applied: HTTP 200 (application/json) answer not finished within 400ms; `, prefix: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := hostile.Counting(tc.handler)
			defer srv.Close()
			s := &targets.Sender{HTTP: srv.Client(), Retries: 1, MaxAnswer: 1000, Timeout: timeout,
				Sleep: func(context.Context, time.Duration) error { return nil }}
			start := time.Now()
			// Create-or-update by key: idempotent, as the pipeline sends it.
			ans, err := s.Send(t.Context(), targets.Call{Method: "POST", URL: URL(srv.URL, "/v1/orders"),
				ContentType: "application/json", Body: []byte(`{"orderImportId":"1"}`), Idempotent: true})
			took := time.Since(start)
			srv.Close()
			hostile.CheckOutcome(t, outcome(ans, err), tc.want, tc.prefix)
			hostile.CheckCall(t, int(calls.Load()), tc.attempts, took, timeout)
		})
	}
}

// outcome renders what a run records (package submit, through Target.Read) for the call from
// the Sender's answer: "unknown: …", "succeeded" or "failed: code: message | …".
func outcome(ans *targets.Answer, err error) string {
	if err != nil {
		return "unknown: " + err.Error()
	}
	res, err := ReadAnswer(ans.Status, ans.Body)
	switch {
	case err != nil:
		return "unknown: " + err.Error()
	case res.OK:
		return "succeeded"
	}
	var ms []string
	for _, p := range res.Problems {
		ms = append(ms, p.Code+": "+p.Message)
	}
	return "failed: " + strings.Join(ms, " | ")
}
