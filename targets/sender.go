package targets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Sender sends calls to a target: it authorizes them, keeps to the rate limit, and retries what
// may succeed later (429, 5xx, connection failures) with backoff. It is safe for concurrent use.
type Sender struct {
	HTTP *http.Client // default http.DefaultClient
	Auth Authorizer   // nil: no Authorization header
	// Limiter, if set, spaces requests (golang.org/x/time/rate); every attempt waits for it.
	Limiter *rate.Limiter
	// Retries is the number of attempts after the first for a retryable outcome.
	Retries int
	Backoff Backoff
	// Timeout bounds each attempt, reading the answer included (0: none).
	Timeout time.Duration
	// MaxAnswer bounds the answer body read (default 64 MiB); a longer one is an error.
	MaxAnswer int64
	// Sleep waits between attempts (default: a timer that respects ctx); tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Send sends c until it gets an answer that is final: any status but 429, 5xx and 401/403
// (after which the token is refreshed once). It returns the final answer, even a 429 or 5xx when
// the retries are used up; a *TransportError when no answer came (an ambiguous failure of a call
// that is not Idempotent is not retried); an *AuthError when the credentials are refused after a
// fresh token; or ctx's error.
func (s *Sender) Send(ctx context.Context, c Call) (*Answer, error) {
	now := s.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	refreshed := false
	var lastErr error
	ambiguous := false
	for attempt := 1; ; attempt++ {
		if err := s.wait(ctx); err != nil {
			return nil, err
		}
		header, err := s.header(ctx)
		if err != nil {
			return nil, &AuthError{Body: err.Error()}
		}
		ans, err := s.attempt(ctx, c, header)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var retryAfter time.Duration
		switch {
		case err != nil:
			lastErr = err
			sent := wasSent(err)
			ambiguous = ambiguous || sent
			if sent && !c.Idempotent {
				return nil, &TransportError{Err: err, Attempts: attempt, Ambiguous: true}
			}
		case (ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden) && s.Auth != nil && !refreshed:
			refreshed = true
			if rerr := s.Auth.Refresh(ctx, header); rerr != nil {
				return nil, &AuthError{Status: ans.Status, Body: fmt.Sprintf("%s (%v)", Snippet(ans.Body), rerr)}
			}
			continue // at once: the refusal was of the old token
		case ans.Status == http.StatusUnauthorized || ans.Status == http.StatusForbidden:
			return nil, &AuthError{Status: ans.Status, Body: Snippet(ans.Body)}
		case ans.Status == http.StatusTooManyRequests || ans.Status >= 500:
			retryAfter = RetryAfter(ans.Header, now())
			if attempt > s.Retries {
				ans.Attempts, ans.Duration = attempt, now().Sub(start)
				return ans, nil
			}
		default:
			ans.Attempts, ans.Duration = attempt, now().Sub(start)
			return ans, nil
		}
		if attempt > s.Retries {
			return nil, &TransportError{Err: lastErr, Attempts: attempt, Ambiguous: ambiguous}
		}
		if err := s.sleep(ctx, s.Backoff.Wait(attempt, retryAfter)); err != nil {
			return nil, err
		}
	}
}

// attempt makes one request and reads its answer.
func (s *Sender) attempt(ctx context.Context, c Call, header string) (*Answer, error) {
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, bytes.NewReader(c.Body))
	if err != nil {
		return nil, err
	}
	if c.ContentType != "" {
		req.Header.Set("Content-Type", c.ContentType)
	}
	req.Header.Set("Accept", "application/json")
	if header != "" {
		req.Header.Set("Authorization", header)
	}
	client := s.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := s.MaxAnswer
	if limit <= 0 {
		limit = 64 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &readError{err}
	}
	if int64(len(body)) > limit {
		return nil, &readError{fmt.Errorf("the answer is larger than %d bytes", limit)}
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// readError is a failure while reading an answer: the request certainly reached the target.
type readError struct{ err error }

func (e *readError) Error() string { return "reading the answer: " + e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// wasSent reports whether a failed request may have reached the target. Only a failure to
// connect proves it did not.
func wasSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(err, &dns)
}

func (s *Sender) wait(ctx context.Context) error {
	if s.Limiter == nil {
		return nil
	}
	return s.Limiter.Wait(ctx)
}

func (s *Sender) header(ctx context.Context) (string, error) {
	if s.Auth == nil {
		return "", nil
	}
	return s.Auth.Header(ctx)
}

func (s *Sender) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Snippet is the start of an answer body, trimmed, for messages.
func Snippet(b []byte) string {
	const n = 200
	s := string(bytes.TrimSpace(b))
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
