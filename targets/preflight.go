package targets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Bounds of a preflight call: enough to ride out a blip, short enough that a target that cannot
// be reached is named within seconds, not after the full retries of a run.
const (
	preflightRetries = 2
	preflightTimeout = 10 * time.Second
	preflightBackoff = time.Second
)

// Probe is a target's check before a run reads any row: a call that changes nothing and shows
// whether the target answers and takes the credentials, what the call is in words, and what an
// answer that nothing is there means for the target (Preflight's notThere).
type Probe struct {
	Call     Call
	What     string
	NotThere string
}

// Preflight sends call, a request that changes nothing (a target's probe), with s's retries,
// timeout and backoff bounded, and says why the run should not start: the target cannot be
// reached, refuses the credentials, redirects, or answers that nothing is there (404, 405, 410:
// then why ends with notThere, what that means for the target). why is "" when the answer lets
// the run go on: a 2xx, or one that does not settle it (429 or 5xx after the retries, an answer
// lost after the request was sent, a 4xx about the check itself), to meet the run's own retries.
// err is only ctx's.
func (s *Sender) Preflight(ctx context.Context, call Call, notThere string) (why string, err error) {
	b := *s
	b.Retries = min(b.Retries, preflightRetries)
	b.Backoff.Max = atMost(b.Backoff.Max, preflightBackoff)
	b.Timeout = atMost(b.Timeout, preflightTimeout)
	ans, err := b.Send(ctx, call)
	var te *TransportError
	switch {
	case ctx.Err() != nil:
		return "", ctx.Err()
	case errors.As(err, &te) && te.Ambiguous:
		return "", nil // it was sent; what became of it does not say the target is wrong
	case errors.As(err, &te):
		return "the target cannot be reached: " + err.Error(), nil
	case err != nil:
		return err.Error(), nil
	}
	if ans.Status == http.StatusNotFound || ans.Status == http.StatusMethodNotAllowed || ans.Status == http.StatusGone {
		return fmt.Sprintf("HTTP %d: %s; %s", ans.Status, Snippet(ans.Body), notThere), nil
	}
	return "", nil
}

// atMost is d bounded by limit, where a d of 0 (no bound) is limit.
func atMost(d, limit time.Duration) time.Duration {
	if d <= 0 || d > limit {
		return limit
	}
	return d
}
