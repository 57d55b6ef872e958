package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestOnixTokenEndpoint(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		title  string // problem details title; "" for success
	}{
		{name: "good credentials", method: "POST", path: OnixTokenPath, body: `{"username":"sandbox","password":"sandbox-password"}`, status: 200},
		{name: "path case-insensitive", method: "POST", path: "/V1/account/TOKEN", body: `{"username":"sandbox","password":"sandbox-password"}`, status: 200},
		{name: "wrong password", method: "POST", path: OnixTokenPath, body: `{"username":"sandbox","password":"nope"}`, status: 400, title: onixTitleBadRequest},
		{name: "unknown user", method: "POST", path: OnixTokenPath, body: `{"username":"who","password":"sandbox-password"}`, status: 400, title: onixTitleBadRequest},
		{name: "no password", method: "POST", path: OnixTokenPath, body: `{"username":"sandbox"}`, status: 400, title: onixTitleValidation},
		{name: "GET", method: "GET", path: OnixTokenPath, status: 405, title: "Method Not Allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { c.Faults.HTTP500Rate = 1 }) // faults never touch the token endpoint
			a := onixCall(t, s, tc.method, tc.path, "", tc.body)
			if a.status != tc.status {
				t.Fatalf("%d %s, want %d", a.status, a.body, tc.status)
			}
			if tc.title == "" {
				var tok string
				if err := json.Unmarshal([]byte(a.body), &tok); err != nil || !strings.HasPrefix(tok, "onx-") {
					t.Fatalf("not a JSON string token: %s", a.body)
				}
			} else if p := problem(t, a); p.Title != tc.title {
				t.Errorf("title %q, want %q", p.Title, tc.title)
			}
			if s.OnixTokenRequests() != 1 {
				t.Errorf("OnixTokenRequests %d, want 1", s.OnixTokenRequests())
			}
		})
	}
}

// onixToken fetches a short-lived token.
func onixToken(t *testing.T, s *Server) string {
	t.Helper()
	a := onixCall(t, s, "POST", OnixTokenPath, "", `{"username":"sandbox","password":"sandbox-password"}`)
	var tok string
	if err := json.Unmarshal([]byte(a.body), &tok); err != nil || a.status != 200 {
		t.Fatalf("token: %d %s", a.status, a.body)
	}
	return tok
}

func TestOnixAuthorization(t *testing.T) {
	s := start(t, nil)
	tok := onixToken(t, s)
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"bearer short-lived", "Bearer " + tok, 200},
		{"key long-lived", "Key sandbox-key", 200},
		{"scheme case-insensitive", "key sandbox-key", 200},
		{"key without scheme", "sandbox-key", 200},
		{"no token", "", 401},
		{"short-lived with Key scheme", "Key " + tok, 401},
		{"short-lived without scheme", tok, 401},
		{"long-lived with Bearer scheme", "Bearer sandbox-key", 401},
		{"unknown scheme", "Basic c2FuZGJveDp4", 401},
		{"unknown key", "Key nope", 401},
		{"On Key's token", "Bearer sandbox-token", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := onixCall(t, s, "GET", "/v1/company/order-statuses", tc.auth, "")
			if a.status != tc.status {
				t.Fatalf("%d %s, want %d", a.status, a.body, tc.status)
			}
			if tc.status == 401 {
				if p := problem(t, a); p.Title != "Unauthorized" || p.Detail == "" {
					t.Errorf("401 body %+v", p)
				}
			}
		})
	}
	// The On Key API keeps its own tokens.
	if a := call(t, s, "POST", importPath, contentImport, "[]", "Authorization", "Bearer "+tok); a.status != 401 {
		t.Errorf("an Onix token on On Key: %d", a.status)
	}
}

// TestOnixTokenLifecycle: a short-lived token works until its lifetime ends, then 401; a new
// token works again; the token calls are counted.
func TestOnixTokenLifecycle(t *testing.T) {
	clock := newFakeClock()
	s := startHooked(t, func(c *Config) { c.OnixWork.TokenLifetime = 10 * time.Minute }, func(s *Server) { s.now = clock.Now })
	tok := onixToken(t, s)
	get := func() answer { return onixCall(t, s, "GET", "/v1/company/order-statuses", "Bearer "+tok, "") }
	if a := get(); a.status != 200 {
		t.Fatalf("fresh: %d %s", a.status, a.body)
	}
	clock.Advance(9*time.Minute + 59*time.Second)
	if a := get(); a.status != 200 {
		t.Fatalf("just before expiry: %d %s", a.status, a.body)
	}
	clock.Advance(time.Second)
	a := get()
	if a.status != 401 || !strings.Contains(problem(t, a).Detail, "expired") {
		t.Fatalf("expired: %d %s", a.status, a.body)
	}
	tok = onixToken(t, s)
	if a := get(); a.status != 200 {
		t.Fatalf("renewed: %d %s", a.status, a.body)
	}
	if n := s.OnixTokenRequests(); n != 2 {
		t.Errorf("OnixTokenRequests %d, want 2", n)
	}
	if n := s.TokenRequests(); n != 0 {
		t.Errorf("On Key TokenRequests %d, want 0", n)
	}
}
