package onkey

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/internal/hostile"
)

// TestHostileImportAnswers sends an import batch of two records to targets that answer badly,
// through the Sender the pipeline uses, and reads the answer as the pipeline does: each case
// ends within the Sender's Timeout per attempt with an outcome for both records whose message
// says, in one short line, what came back.
func TestHostileImportAnswers(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name     string
		handler  http.Handler
		attempts int
		want     string // the outcome of records A and B, as outcome renders it
		prefix   bool   // want is the start of the outcome (the rest depends on timing)
	}{
		{name: "HTML login page with 200", handler: hostile.Body(200, "text/html", hostile.LoginPage), attempts: 1,
			want: `unknown: HTTP 200, but the answer is not JSON: an HTML page titled "Sign in – Acme SSO"`},
		{name: "HTML error page with 500", handler: hostile.Body(500, "text/html", hostile.ErrorPage), attempts: 2,
			want: `A failed: HTTP 500: an HTML page titled "500 Internal Server Error"; B failed: HTTP 500: an HTML page titled "500 Internal Server Error"`},
		{name: "JSON cut short", handler: hostile.Body(200, "application/json", `[{"userObjectId":"A","status":"Succ`), attempts: 1,
			want: `unknown: HTTP 200, but the answer is not a list of record results: unexpected end of JSON input: [{"userObjectId":"A","status":"Succ`},
		{name: "JSON of another shape", handler: hostile.Body(200, "application/json", `{"messages":"done"}`), attempts: 1,
			want: `unknown: HTTP 200, but the answer's "messages" is not a list of messages: {"messages":"done"}`},
		{name: "a JSON string", handler: hostile.Body(200, "application/json", `"OK"`), attempts: 1,
			want: `unknown: HTTP 200, but the answer is neither a list of record results nor a notification: "OK"`},
		{name: "JSON error of another API with 500", handler: hostile.Body(500, "application/json", `{"error":"boom"}`), attempts: 2,
			want: `A failed: HTTP 500: {"error":"boom"}; B failed: HTTP 500: {"error":"boom"}`},
		{name: "empty 200: all succeeded (documented)", handler: hostile.Body(200, "", ""), attempts: 1,
			want: `A succeeded; B succeeded`},
		{name: "empty 500", handler: hostile.Body(500, "", ""), attempts: 2,
			want: `A failed: the request was refused (HTTP 500); B failed: the request was refused (HTTP 500)`},
		{name: "huge 200", handler: hostile.Huge(200, 1<<20, false), attempts: 1,
			want: `unknown: no usable answer after 1 attempt(s); the request may have been applied: HTTP 200 (application/json) answer larger than the limit of 1000 bytes: [{"userObjectId":"A0","status":"Succeeded","messages":[]},{"userObjectId":"A0","status":"Succeeded","messages":[]},{"userObjectId":"A0","status":"Succeeded","messages":[]},{"userObjectId":"A0","status…`},
		{name: "never-ending 200", handler: hostile.Trickle(200, 100*time.Millisecond), attempts: 1,
			want: `unknown: no usable answer after 1 attempt(s); the request may have been applied: HTTP 200 (application/json) answer not finished within 400ms; `, prefix: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, calls := hostile.Counting(tc.handler)
			defer srv.Close()
			s := &targets.Sender{HTTP: srv.Client(), Retries: 1, MaxAnswer: 1000, Timeout: timeout,
				Sleep: func(context.Context, time.Duration) error { return nil }}
			start := time.Now()
			// A batch of Creates: not idempotent, as the pipeline sends them.
			ans, err := s.Send(t.Context(), targets.Call{Method: "POST", URL: srv.URL, ContentType: ImportContentType,
				Body: []byte(`[{"userObjectId":"A"},{"userObjectId":"B"}]`)})
			took := time.Since(start)
			srv.Close()
			hostile.CheckOutcome(t, outcome(ans, err), tc.want, tc.prefix)
			hostile.CheckCall(t, int(calls.Load()), tc.attempts, took, timeout)
		})
	}
}

// outcome renders what a run records (package submit, through Target.Read) for records A and B
// from the Sender's answer: one "unknown: …" for both, or "A failed: …; B succeeded".
func outcome(ans *targets.Answer, err error) string {
	if err != nil {
		return "unknown: " + err.Error()
	}
	results := ReadImportAnswer(ans.Status, ans.Body, []string{"A", "B"}, false)
	if a, b := results["A"], results["B"]; a.Outcome == Unknown && b.Outcome == Unknown && a.Messages[0].Message == b.Messages[0].Message {
		return "unknown: " + a.Messages[0].Message
	}
	var parts []string
	for _, u := range []string{"A", "B"} {
		r := results[u]
		if r.Outcome == Succeeded {
			parts = append(parts, u+" succeeded")
			continue
		}
		var ms []string
		for _, m := range r.Messages {
			ms = append(ms, m.Message)
		}
		parts = append(parts, u+" "+r.Outcome.String()+": "+strings.Join(ms, " | "))
	}
	return strings.Join(parts, "; ")
}

// TestHostileTaskAnswers reads the answers a badly behaved target gives to the poll of a
// background task: each is an error that says what came back.
func TestHostileTaskAnswers(t *testing.T) {
	tests := []struct{ body, want string }{
		{hostile.LoginPage, `the background task answer is not JSON: invalid character '<' looking for beginning of value: an HTML page titled "Sign in – Acme SSO"`},
		{"", `the background task answer is not JSON: unexpected end of JSON input: (empty body)`},
		{`{"id":1,"properties":{"status":`, `the background task answer is not JSON: unexpected end of JSON input: {"id":1,"properties":{"status":`},
		{`{"id":1,"state":"Done"}`, `the background task answer has no status: {"id":1,"state":"Done"}`},
	}
	for _, tc := range tests {
		_, err := ReadTask([]byte(tc.body))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ReadTask(%.20q): %v\nwant %s", tc.body, err, tc.want)
		}
	}
}
