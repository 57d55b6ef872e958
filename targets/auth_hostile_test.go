package targets

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/bulkload/bulkload/targets/internal/hostile"
)

// TestHostileTokenEndpoints asks both kinds of token endpoint for a token while they answer
// badly: each fetch ends within the client's timeout, with an error that says in one short line
// what came back.
func TestHostileTokenEndpoints(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name    string
		handler http.Handler
		oauth2  string // the error wanted from the client-credentials grant (a regular expression)
		onix    string // the error wanted from Onix Work's password token endpoint
	}{
		{name: "HTML error page with 500", handler: hostile.Body(500, "text/html", hostile.ErrorPage),
			oauth2: `^fetching a token from URL: HTTP 500: an HTML page titled "500 Internal Server Error"$`,
			onix:   `^token endpoint URL refused the credentials: HTTP 500: an HTML page titled "500 Internal Server Error"$`},
		{name: "HTML login page with 200", handler: hostile.Body(200, "text/html", hostile.LoginPage),
			oauth2: `^fetching a token from URL: oauth2: cannot parse json: invalid character '<' looking for beginning of value$`,
			onix:   `^token endpoint URL: the answer is not a token \(a JSON string\): an HTML page titled "Sign in – Acme SSO"$`},
		{name: "empty 200", handler: hostile.Body(200, "application/json", ""),
			oauth2: `^fetching a token from URL: oauth2: cannot parse json: unexpected end of JSON input$`,
			onix:   `^token endpoint URL: the answer is not a token \(a JSON string\): \(empty body\)$`},
		{name: "never-ending 200", handler: hostile.Trickle(200, 100*time.Millisecond),
			oauth2: `^fetching a token from URL: oauth2: cannot fetch token: context deadline exceeded \(Client\.Timeout or context cancellation while reading body\)$`,
			onix:   `^token endpoint URL: reading the answer: context deadline exceeded \(Client\.Timeout or context cancellation while reading body\)$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			client := &http.Client{Timeout: timeout}
			auths := map[string]Authorizer{
				tc.oauth2: &clientCredentials{cfg: &clientcredentials.Config{ClientID: "id", ClientSecret: "s", TokenURL: srv.URL}, client: client},
				tc.onix:   NewPasswordAuth(srv.URL, "u", "p", time.Hour, client),
			}
			for want, a := range auths {
				start := time.Now()
				_, err := a.Header(t.Context())
				took := time.Since(start)
				if err == nil {
					t.Fatalf("%T: no error", a)
				}
				t.Logf("%T: %s", a, err)
				pattern := regexp.MustCompile(regexp.MustCompile(`URL`).ReplaceAllLiteralString(want, regexp.QuoteMeta(srv.URL)))
				if !pattern.MatchString(err.Error()) {
					t.Errorf("%T: error\n %s\nwant one matching\n %s", a, err, pattern)
				}
				// The oauth2 package may try twice: client id and secret in a header, then in the
				// body (AuthStyleAutoDetect).
				if limit := 2*timeout + time.Second; took > limit { // slack for a loaded machine
					t.Errorf("%T: the fetch took %v, want no more than %v", a, took, limit)
				}
			}
		})
	}
}
