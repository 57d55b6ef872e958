package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// start runs a sandbox on 127.0.0.1 with DefaultConfig changed by mutate (may be nil).
func start(t *testing.T, mutate func(*Config)) *Server {
	t.Helper()
	cfg := DefaultConfig()
	if mutate != nil {
		mutate(cfg)
	}
	s, err := Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request to the API base of s (path like "/modules/system/imports?mode=PerRecord")
// with the default token, unless headers say otherwise ("Authorization": "" sends none).
func call(t *testing.T, s *Server, method, path, contentType, body string, headers ...string) answer {
	t.Helper()
	a, err := try(s, method, path, contentType, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return a
}

// try is call that returns the transport error (for faults). It never reuses a connection.
func try(s *Server, method, path, contentType, body string, headers ...string) (answer, error) {
	url := s.URL() + path
	if !strings.HasPrefix(path, "/_sandbox/") && !strings.HasPrefix(path, "/oauth2/") && !strings.HasPrefix(strings.ToLower(path), "/api/") {
		url = s.URL() + "/api/tenants/demo/main" + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer sandbox-token")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}, err
}

// importBody builds an import body from records given as JSON objects.
func importBody(records ...string) string { return "[" + strings.Join(records, ",\n") + "]" }

// siteType is an import record creating (or merging) a SiteType.
func siteType(uoid, action, code, extra string) string {
	return fmt.Sprintf(`{"entityType":"SiteType","action":%q,"userObjectId":%q,"id":{"code":%q},"properties":{"code":%q,"description":"Type %s","permissionTreeId":{"code":"A20"}%s}}`,
		action, uoid, code, code, code, extra)
}

// results decodes a per-record answer.
func results(t *testing.T, body string) []result {
	t.Helper()
	var rs []result
	if err := json.Unmarshal([]byte(body), &rs); err != nil {
		t.Fatalf("not a result array: %v\n%s", err, body)
	}
	return rs
}

// messages decodes a notification answer.
func messages(t *testing.T, body string) []message {
	t.Helper()
	var n notification
	if err := json.Unmarshal([]byte(body), &n); err != nil {
		t.Fatalf("not a notification: %v\n%s", err, body)
	}
	return n.Messages
}

// codes lists "uoid:code" of msgs.
func codes(msgs []message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, strings.Trim(string(m.UserObjectID), `"`)+":"+m.Code)
	}
	return out
}

// summary is "uoid Status [codes]" of a result, for comparisons.
func summary(r result) string {
	s := strings.Trim(string(r.UserObjectID), `"`) + " " + r.Status
	for _, m := range r.Messages {
		s += " " + m.Code
	}
	return s
}

const importPath = "/modules/system/imports"

// startHooked serves a sandbox built by New under httptest, after hook has set its internals
// (clock, step waits) and before any request.
func startHooked(t *testing.T, mutate func(*Config), hook func(*Server)) *Server {
	t.Helper()
	cfg := DefaultConfig()
	if mutate != nil {
		mutate(cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if hook != nil {
		hook(s)
	}
	ts := httptest.NewServer(s.Handler())
	s.url = ts.URL
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s
}

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
