package sandbox

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/bulkload/bulkload/targets"
)

func TestTokenEndpoint(t *testing.T) {
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const ct = "application/x-www-form-urlencoded"
	tests := []struct {
		name    string
		method  string
		body    string
		headers []string
		status  int
		errCode string // OAuth2 error, "" for success
	}{
		{name: "form credentials", method: "POST", body: form("grant_type", "client_credentials", "client_id", "sandbox-client", "client_secret", "sandbox-secret"), status: 200},
		{name: "basic credentials", method: "POST", body: form("grant_type", "client_credentials"),
			headers: []string{"Authorization", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="}, status: 200},
		{name: "wrong secret", method: "POST", body: form("grant_type", "client_credentials", "client_id", "sandbox-client", "client_secret", "nope"), status: 401, errCode: "invalid_client"},
		{name: "unknown client", method: "POST", body: form("grant_type", "client_credentials", "client_id", "who", "client_secret", "x"), status: 401, errCode: "invalid_client"},
		{name: "password grant", method: "POST", body: form("grant_type", "password", "client_id", "sandbox-client", "client_secret", "sandbox-secret"), status: 400, errCode: "unsupported_grant_type"},
		{name: "GET", method: "GET", status: 405, errCode: "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { c.Faults.HTTP500Rate = 1 }) // faults never touch the token endpoint
			headers := append([]string{"Authorization", ""}, tc.headers...)
			a := call(t, s, tc.method, TokenPath, ct, tc.body, headers...)
			var got struct {
				AccessToken string `json:"access_token"`
				TokenType   string `json:"token_type"`
				ExpiresIn   int    `json:"expires_in"`
				Error       string `json:"error"`
			}
			if err := json.Unmarshal([]byte(a.body), &got); err != nil || a.status != tc.status {
				t.Fatalf("%d %s (%v), want %d", a.status, a.body, err, tc.status)
			}
			if tc.errCode != "" {
				if got.Error != tc.errCode {
					t.Errorf("error %q, want %q", got.Error, tc.errCode)
				}
			} else if got.AccessToken == "" || got.TokenType != "Bearer" || got.ExpiresIn != 3600 {
				t.Errorf("token answer %+v", got)
			}
			if s.TokenRequests() != 1 {
				t.Errorf("TokenRequests %d, want 1", s.TokenRequests())
			}
		})
	}
}

// TestClientCredentialsWithOurClient: targets' OAuth2 authorizer gets a token that the API
// accepts until it expires; then the API refuses it and a refresh fetches a new one.
func TestClientCredentialsWithOurClient(t *testing.T) {
	clock := newFakeClock()
	s := startHooked(t, func(c *Config) { c.OAuth2.TokenLifetime = 10 * time.Minute }, func(s *Server) { s.now = clock.Now })
	auth := targets.NewClientCredentials(&clientcredentials.Config{ClientID: "sandbox-client", ClientSecret: "sandbox-secret", TokenURL: s.URL() + TokenPath}, nil)
	h, err := auth.Header(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "Bearer sbx-") {
		t.Fatalf("header %q", h)
	}
	if a := call(t, s, "POST", importPath, contentImport, "[]", "Authorization", h); a.status != 200 {
		t.Fatalf("with a fresh token: %d %s", a.status, a.body)
	}
	clock.Advance(11 * time.Minute)
	if a := call(t, s, "POST", importPath, contentImport, "[]", "Authorization", h); a.status != 401 || messages(t, a.body)[0].Code != CodeUnauthorized {
		t.Fatalf("with an expired token: %d %s", a.status, a.body)
	}
	if err := auth.Refresh(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	h2, _ := auth.Header(t.Context())
	if a := call(t, s, "POST", importPath, contentImport, "[]", "Authorization", h2); h2 == h || a.status != 200 {
		t.Fatalf("after a refresh: %q, %d %s", h2, a.status, a.body)
	}
	if s.TokenRequests() != 2 {
		t.Errorf("TokenRequests %d, want 2", s.TokenRequests())
	}
}
