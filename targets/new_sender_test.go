package targets

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/spec"
)

func TestNewSender(t *testing.T) {
	getenv := func(k string) string { return map[string]string{"TOK": "s3cret", "USER": "u", "PASS": "p"}[k] }
	plainToken := func(string) string { return "http://tokens.example/token" }
	tests := []struct {
		name   string
		target spec.Target
		submit spec.Submit
		opts   SenderOptions
		err    string // a part of the error; "" for none
	}{
		{name: "https", target: spec.Target{URL: "https://api.example", Auth: spec.Auth{Kind: "bearer", TokenEnv: "TOK"}},
			submit: spec.Submit{Retries: 3, Timeout: "5s", Rate: 2, Concurrency: 8}},
		{name: "plain http to a network host", target: spec.Target{URL: "http://api.example"}, err: "target.url http://api.example: plain http://"},
		{name: "plain http allowed by Insecure", target: spec.Target{URL: "http://api.example"}, opts: SenderOptions{Insecure: true}},
		{name: "plain http to loopback", target: spec.Target{URL: "http://127.0.0.1:8080"}},
		{name: "derived token URL in clear text", target: spec.Target{URL: "https://api.example", Auth: spec.Auth{Kind: "password", UsernameEnv: "USER", PasswordEnv: "PASS", TokenLifetime: "60m"}},
			opts: SenderOptions{TokenURL: plainToken}, err: "target.auth.token_url http://tokens.example/token"},
		{name: "the spec's token URL wins", target: spec.Target{URL: "https://api.example", Auth: spec.Auth{Kind: "password", UsernameEnv: "USER", PasswordEnv: "PASS", TokenLifetime: "60m", TokenURL: "https://api.example/t"}},
			opts: SenderOptions{TokenURL: plainToken}},
		{name: "bad timeout", target: spec.Target{URL: "https://api.example"}, submit: spec.Submit{Timeout: "soon"}, err: `submit.timeout "soon"`},
		{name: "missing secret", target: spec.Target{URL: "https://api.example", Auth: spec.Auth{Kind: "bearer", TokenEnv: "NOPE"}}, err: "target auth: the environment variable NOPE is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Getenv == nil {
				tc.opts.Getenv = getenv
			}
			s, err := NewSender(tc.target, tc.submit, tc.opts)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("NewSender: %v; want an error with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewSender: %v", err)
			}
			wantTimeout := DefaultTimeout
			if tc.submit.Timeout != "" {
				wantTimeout, _ = time.ParseDuration(tc.submit.Timeout)
			}
			if s.Retries != tc.submit.Retries || s.Timeout != wantTimeout || (s.Limiter != nil) != (tc.submit.Rate > 0) {
				t.Errorf("sender: retries %d, timeout %v, limiter %v; want %d, %v, rate %v", s.Retries, s.Timeout, s.Limiter != nil, tc.submit.Retries, wantTimeout, tc.submit.Rate)
			}
			if (s.Auth != nil) != (tc.target.Auth.Kind != "") {
				t.Errorf("auth %v for kind %q", s.Auth, tc.target.Auth.Kind)
			}
			tr := s.HTTP.Transport.(*http.Transport)
			if want := max(tc.submit.Concurrency, 2); tr.MaxIdleConnsPerHost != want {
				t.Errorf("MaxIdleConnsPerHost %d, want %d", tr.MaxIdleConnsPerHost, want)
			}
			if insecure := tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify; insecure != tc.opts.Insecure {
				t.Errorf("InsecureSkipVerify %v, want %v", insecure, tc.opts.Insecure)
			}
		})
	}
}
