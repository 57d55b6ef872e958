package targets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/bulkload/bulkload/spec"
)

// Authorizer gives the Authorization header of each request. Implementations are safe for
// concurrent use and share one token between all workers.
type Authorizer interface {
	// Header returns the current Authorization header value, fetching a token if there is none.
	Header(ctx context.Context) (string, error)
	// Refresh replaces the token after the target refused stale (the header it was sent). When
	// another worker already replaced it, Refresh does nothing, so one refusal seen by many
	// workers fetches one token. It returns an error when no fresh token can be had (a static
	// token, say).
	Refresh(ctx context.Context, stale string) error
}

// NewAuthorizer builds the Authorizer the spec's auth section describes, reading secrets from the
// environment (or a file) named there. For "password" a.TokenURL must be set (the caller derives
// it from the target: Onix Work's /v1/Account/token). Tokens are fetched with tokenClient (nil: a
// default client with a timeout). It returns nil for kind "none". A missing secret is an error
// naming the variable, never its value.
func NewAuthorizer(a spec.Auth, getenv func(string) string, tokenClient *http.Client) (Authorizer, error) {
	switch a.Kind {
	case "", "none":
		return nil, nil
	case "bearer", "key":
		tok, err := secret(a.TokenEnv, a.TokenFile, getenv)
		if err != nil {
			return nil, err
		}
		scheme := "Bearer "
		if a.Kind == "key" {
			scheme = "Key "
		}
		return &staticAuth{header: scheme + tok}, nil
	case "client_credentials":
		id, err := secret(a.ClientIDEnv, "", getenv)
		if err != nil {
			return nil, err
		}
		sec, err := secret(a.ClientSecretEnv, "", getenv)
		if err != nil {
			return nil, err
		}
		return NewClientCredentials(&clientcredentials.Config{ClientID: id, ClientSecret: sec, TokenURL: a.TokenURL, Scopes: a.Scopes}, tokenClient), nil
	case "password":
		user, err := secret(a.UsernameEnv, "", getenv)
		if err != nil {
			return nil, err
		}
		pass, err := secret(a.PasswordEnv, "", getenv)
		if err != nil {
			return nil, err
		}
		if a.TokenURL == "" {
			return nil, errors.New("password auth needs the token endpoint's URL")
		}
		lifetime, err := time.ParseDuration(a.TokenLifetime)
		if err != nil || lifetime <= 0 {
			return nil, fmt.Errorf("token_lifetime %q: want a duration such as 60m", a.TokenLifetime)
		}
		return NewPasswordAuth(a.TokenURL, user, pass, lifetime, tokenClient), nil
	}
	return nil, fmt.Errorf("auth kind %q is not supported by this target", a.Kind)
}

// secret reads a secret from the environment variable env, or else from file.
func secret(env, file string, getenv func(string) string) (string, error) {
	if env != "" {
		if v := strings.TrimSpace(getenv(env)); v != "" {
			return v, nil
		}
		if file == "" {
			return "", fmt.Errorf("the environment variable %s is not set (it must hold the secret)", env)
		}
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("reading the secret file: %w", err)
		}
		if v := strings.TrimSpace(string(b)); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("the secret file %s is empty", file)
	}
	return "", errors.New("no secret configured: name an environment variable (token_env) or a file (token_file)")
}

// staticAuth is a fixed token: nothing to refresh.
type staticAuth struct{ header string }

func (s *staticAuth) Header(context.Context) (string, error) { return s.header, nil }

func (s *staticAuth) Refresh(context.Context, string) error {
	return errors.New("the token is fixed (from the environment or a file) and cannot be refreshed")
}

// clientCredentials is the OAuth2 client-credentials grant: a token cached until it nearly
// expires, fetched again on demand or after a refusal.
type clientCredentials struct {
	cfg *clientcredentials.Config
	// client fetches the tokens. It has a timeout of its own: the oauth2 package's default
	// client has none, so a token endpoint that never finishes its answer would hang every
	// worker.
	client    *http.Client
	refreshMu sync.Mutex // one refresh at a time
	mu        sync.Mutex // guards src
	src       oauth2.TokenSource
}

// NewClientCredentials returns an Authorizer for the OAuth2 client-credentials grant of cfg,
// fetching tokens with client (nil: one whose fetches are bounded by TokenTimeout, as Onix Work's
// are in NewPasswordAuth).
func NewClientCredentials(cfg *clientcredentials.Config, client *http.Client) Authorizer {
	if client == nil {
		client = &http.Client{Timeout: TokenTimeout}
	}
	return &clientCredentials{cfg: cfg, client: client}
}

// TokenTimeout bounds a token fetch, reading the answer included: token clients need their own
// bound, since the oauth2 default client has none.
const TokenTimeout = 30 * time.Second

func (c *clientCredentials) source() oauth2.TokenSource {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.src == nil {
		// The token fetch must outlive any one request's context.
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, c.client)
		c.src = oauth2.ReuseTokenSource(nil, c.cfg.TokenSource(ctx))
	}
	return c.src
}

func (c *clientCredentials) Header(ctx context.Context) (string, error) {
	tok, err := c.source().Token()
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode == "" && re.Response != nil {
		// Its own message holds the whole body, line breaks and all: say it in one short line.
		return "", fmt.Errorf("fetching a token from %s: HTTP %d: %s", c.cfg.TokenURL, re.Response.StatusCode, Snippet(re.Body))
	}
	if err != nil {
		return "", fmt.Errorf("fetching a token from %s: %w", c.cfg.TokenURL, err)
	}
	return tok.Type() + " " + tok.AccessToken, nil
}

func (c *clientCredentials) Refresh(ctx context.Context, stale string) error {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	cur, err := c.Header(ctx)
	if err != nil {
		return err
	}
	if cur != stale {
		return nil // another worker has refreshed it already
	}
	c.mu.Lock()
	c.src = nil
	c.mu.Unlock()
	_, err = c.Header(ctx)
	return err
}
