package targets

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	// Adaptive, if set, bounds the attempts in flight and is told each one's answer (see
	// Adaptive); once it is closed, Send sends no more attempts.
	Adaptive *Adaptive
	// Retries is the number of attempts after the first for a retryable outcome.
	Retries int
	Backoff Backoff
	// Timeout bounds each attempt, reading the answer included (0: none).
	Timeout time.Duration
	// MaxAnswer bounds the answer body read (default 64 MiB). A longer answer is an error that
	// names its status and start; it is retried only when its status is 429 or 5xx, since the
	// target would give the same answer again.
	MaxAnswer int64
	// Sleep waits between attempts (default: a timer that respects ctx); tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Send sends c until it gets an answer that is final: any status but 429, 5xx and 401/403
// (after which the token is refreshed once). A 3xx is never followed: it is a *RedirectError.
// It returns the final answer, even a 429 or 5xx when
// the retries are used up; a *TransportError when no usable answer came: none at all, or one that
// broke off, did not finish within Timeout or was larger than MaxAnswer (an ambiguous failure of
// a call that is not Idempotent is not retried); an *AuthError when the credentials are refused
// after a fresh token; an error that Is ErrClosed when the Adaptive was closed before an attempt
// (a *TransportError, Ambiguous, if an earlier attempt may have been applied); or ctx's error.
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
		ticket, err := s.acquire(ctx)
		if errors.Is(err, ErrClosed) && ambiguous {
			return nil, &TransportError{Err: lastErr, Attempts: attempt - 1, Ambiguous: true}
		}
		if err != nil {
			return nil, err
		}
		if err := s.wait(ctx); err != nil {
			s.release(ticket, nil, nil)
			return nil, err
		}
		header, err := s.header(ctx)
		if err != nil {
			s.release(ticket, nil, nil)
		}
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil && unreachable(err) {
			// No token endpoint answered: that says nothing of the credentials.
			return nil, &TransportError{Err: err, Attempts: attempt}
		}
		if err != nil {
			return nil, &AuthError{Body: err.Error()}
		}
		ans, err := s.attempt(ctx, c, header)
		s.release(ticket, ans, now)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var retryAfter time.Duration
		switch {
		case err != nil && untrusted(err):
			// Nothing was sent, and trying again cannot change the certificate.
			return nil, &TransportError{Err: fmt.Errorf("%w (the target's TLS certificate is not trusted: fix the certificate or the machine's trusted roots; --insecure skips the check, for test servers only)", err),
				Attempts: attempt}
		case err != nil:
			lastErr = err
			sent := wasSent(err)
			ambiguous = ambiguous || sent
			if sent && (!c.Idempotent || final(err)) {
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
		case ans.Status >= 300 && ans.Status < 400:
			return nil, &RedirectError{Status: ans.Status, Location: ans.Header.Get("Location")}
		case retryable(ans.Status):
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
	client := http.Client{}
	if s.HTTP != nil {
		client = *s.HTTP
	}
	client.CheckRedirect = noFollow // a 3xx comes back as the answer; Send refuses it
	resp, err := client.Do(req)
	if err != nil {
		if s.Timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &timeoutError{timeout: s.Timeout, err: err}
		}
		return nil, err
	}
	defer resp.Body.Close()
	limit := s.MaxAnswer
	if limit <= 0 {
		limit = 64 << 20
	}
	broken := func(got []byte, why string, err error, tooLarge bool) *readError {
		// Keep a copy of what a message shows, not the whole body.
		head := bytes.Clone(got[:min(len(got), snippetLook)])
		return &readError{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), got: head,
			n: len(got), why: why, err: err, tooLarge: tooLarge}
	}
	if resp.ContentLength > limit {
		// Announced too large: read no more than a message needs.
		got, _ := io.ReadAll(io.LimitReader(resp.Body, snippetLook))
		return nil, broken(got, fmt.Sprintf("answer of %d bytes, larger than the limit of %d bytes", resp.ContentLength, limit), nil, true)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil && s.Timeout > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, broken(body, fmt.Sprintf("answer not finished within %v", s.Timeout), err, false)
	case err != nil:
		return nil, broken(body, "answer broken off", err, false)
	case int64(len(body)) > limit:
		return nil, broken(body, fmt.Sprintf("answer larger than the limit of %d bytes", limit), nil, true)
	}
	return &Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// timeoutError is an attempt that got no status line within the Sender's Timeout. It unwraps to
// the client's error, so that wasSent still tells a dial that timed out.
type timeoutError struct {
	timeout time.Duration
	err     error
}

func (e *timeoutError) Error() string {
	var ue *url.Error
	if errors.As(e.err, &ue) {
		return fmt.Sprintf("%s %q: no response within %v", ue.Op, ue.URL, e.timeout)
	}
	return fmt.Sprintf("no response within %v: %v", e.timeout, e.err)
}

func (e *timeoutError) Unwrap() error { return e.err }

// readError is a failure while reading an answer whose status line and headers came: the request
// certainly reached the target. Its message names the status, the content type, why the body
// could not be used and what of it came, in one short line:
//
//	HTTP 200 (text/plain) answer not finished within 2s; 19 bytes came: [{"userObjectId":"A",…
type readError struct {
	status      int
	contentType string
	got         []byte // the start of the body, as far as it came (at most snippetLook bytes)
	n           int    // the bytes of the body that came
	why         string
	err         error // the read's error, if any
	tooLarge    bool  // the body is larger than the Sender's MaxAnswer
}

func (e *readError) Error() string {
	what := fmt.Sprintf("HTTP %d", e.status)
	if ct, _, _ := strings.Cut(e.contentType, ";"); strings.TrimSpace(ct) != "" {
		what += " (" + oneLine([]byte(ct), 60, false) + ")"
	}
	what += " " + e.why
	if e.err != nil && !errors.Is(e.err, context.DeadlineExceeded) {
		what += " (" + e.err.Error() + ")"
	}
	if len(bytes.TrimSpace(e.got)) == 0 {
		return what + "; no body came"
	}
	if !e.tooLarge {
		what += fmt.Sprintf("; %d bytes came", e.n)
	}
	return what + ": " + Snippet(e.got)
}

func (e *readError) Unwrap() error { return e.err }

// final reports whether err is an answer too large whose status is final (neither 429 nor 5xx):
// the target has answered, and would answer the same again, so the call is not retried.
func final(err error) bool {
	var re *readError
	return errors.As(err, &re) && re.tooLarge && !retryable(re.status)
}

// retryable reports whether an answer's status asks for the call to be sent again later.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// wasSent reports whether a failed request may have reached the target. Only a failure to
// connect proves it did not.
// untrusted reports whether err is the failure to verify the server's TLS certificate.
func untrusted(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

func wasSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(err, &dns)
}

// acquire waits for the Adaptive, if any, to let an attempt through.
func (s *Sender) acquire(ctx context.Context) (Ticket, error) {
	if s.Adaptive == nil {
		return Ticket{}, nil
	}
	return s.Adaptive.Acquire(ctx)
}

// release tells the Adaptive, if any, the answer to an attempt (nil: none came; then now is not
// used).
func (s *Sender) release(t Ticket, ans *Answer, now func() time.Time) {
	if s.Adaptive == nil {
		return
	}
	if ans == nil {
		s.Adaptive.Release(t, 0, 0)
		return
	}
	var retryAfter time.Duration
	if retryable(ans.Status) {
		retryAfter = RetryAfter(ans.Header, now())
	}
	s.Adaptive.Release(t, ans.Status, retryAfter)
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
