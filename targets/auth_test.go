package targets

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/bulkload/bulkload/spec"
)

func TestClientCredentialsFetchesOneTokenPerRefusal(t *testing.T) {
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("grant_type") != "client_credentials" {
			http.Error(w, "bad grant", 400)
			return
		}
		n := fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"tok-%d","token_type":"Bearer","expires_in":3600}`, n)
	}))
	defer srv.Close()
	a := NewClientCredentials(&clientcredentials.Config{ClientID: "id", ClientSecret: "secret", TokenURL: srv.URL}, nil)
	h1, err := a.Header(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if h2, _ := a.Header(t.Context()); h1 != "Bearer tok-1" || h2 != h1 {
		t.Fatalf("headers %q, %q; want Bearer tok-1 twice from one fetch", h1, h2)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = a.Refresh(t.Context(), h1) }()
	}
	wg.Wait()
	if h, _ := a.Header(t.Context()); h != "Bearer tok-2" || fetches.Load() != 2 {
		t.Errorf("after 8 refusals of the same token: header %q after %d fetches; want Bearer tok-2 after 2", h, fetches.Load())
	}
}

func TestNewAuthorizerNamesTheMissingVariableNotTheSecret(t *testing.T) {
	env := map[string]string{"TOK": "s3cret"}
	getenv := func(k string) string { return env[k] }
	tests := []struct {
		name   string
		auth   spec.Auth
		header string
		err    string
	}{
		{name: "none", auth: spec.Auth{Kind: "none"}},
		{name: "bearer", auth: spec.Auth{Kind: "bearer", TokenEnv: "TOK"}, header: "Bearer s3cret"},
		{name: "key", auth: spec.Auth{Kind: "key", TokenEnv: "TOK"}, header: "Key s3cret"},
		{name: "unset variable", auth: spec.Auth{Kind: "bearer", TokenEnv: "NOPE"}, err: "the environment variable NOPE is not set"},
		{name: "client credentials without secret", auth: spec.Auth{Kind: "client_credentials", ClientIDEnv: "TOK", ClientSecretEnv: "SEC"}, err: "SEC is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAuthorizer(tc.auth, getenv, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "s3cret") {
					t.Fatalf("error %v, want one containing %q and not the secret", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a == nil {
				if tc.header != "" {
					t.Fatal("no authorizer")
				}
				return
			}
			if h, _ := a.Header(t.Context()); h != tc.header {
				t.Errorf("header %q, want %q", h, tc.header)
			}
		})
	}
}
