package targets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// passwordAuth is Onix Work's short-lived token (seed 000): POST {"username","password"} to the
// token endpoint, answered by the token as a JSON string, sent as "Bearer <token>" until it
// expires. One token serves every worker; it is fetched again shortly before it expires, or once
// after a refusal, by one worker while the others wait for it.
type passwordAuth struct {
	url, username, password string
	lifetime                time.Duration
	client                  *http.Client
	now                     func() time.Time

	mu      sync.Mutex // held while a token is fetched: one fetch at a time
	header  string
	expires time.Time
}

// NewPasswordAuth returns an Authorizer for Onix Work's short-lived tokens from tokenURL, each
// taken to last lifetime. client may be nil (a client with a timeout of TokenTimeout, 30 s).
func NewPasswordAuth(tokenURL, username, password string, lifetime time.Duration, client *http.Client) Authorizer {
	if client == nil {
		client = &http.Client{Timeout: TokenTimeout}
	}
	return &passwordAuth{url: tokenURL, username: username, password: password, lifetime: lifetime, client: client, now: time.Now}
}

// margin is how long before its expiry a token is replaced: a tenth of its lifetime, at most 5m.
func (p *passwordAuth) margin() time.Duration { return min(p.lifetime/10, 5*time.Minute) }

func (p *passwordAuth) Header(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.header != "" && p.now().Before(p.expires.Add(-p.margin())) {
		return p.header, nil
	}
	return p.fetch(ctx)
}

func (p *passwordAuth) Refresh(ctx context.Context, stale string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.header != "" && p.header != stale {
		return nil // another worker has fetched a new one already
	}
	_, err := p.fetch(ctx)
	return err
}

// fetch gets a new token; p.mu is held. Errors name the endpoint, never the password.
func (p *passwordAuth) fetch(ctx context.Context) (string, error) {
	started := p.now()
	body, _ := json.Marshal(map[string]string{"username": p.username, "password": p.password})
	req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("token endpoint %s: %w", p.url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("token endpoint %s: %w", p.url, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("token endpoint %s: reading the answer: %w", p.url, err)
	}
	if resp.StatusCode != http.StatusOK {
		why := ""
		if resp.StatusCode == http.StatusBadRequest {
			why = " (Onix Work answers 400 to a wrong user name or password)"
		}
		return "", fmt.Errorf("token endpoint %s refused the credentials: HTTP %d%s: %s", p.url, resp.StatusCode, why, Snippet(answer))
	}
	var token string
	if err := json.Unmarshal(answer, &token); err != nil || token == "" {
		return "", fmt.Errorf("token endpoint %s: the answer is not a token (a JSON string): %s", p.url, Snippet(answer))
	}
	p.header, p.expires = "Bearer "+token, started.Add(p.lifetime)
	return p.header, nil
}
