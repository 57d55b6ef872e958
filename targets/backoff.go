package targets

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Backoff decides how long to wait before a retry: exponential from Base, doubled per attempt,
// capped at Max, with full jitter; a Retry-After the target sent is honoured (up to
// MaxRetryAfter) as the least wait.
type Backoff struct {
	Base          time.Duration // default 200ms
	Max           time.Duration // default 10s
	MaxRetryAfter time.Duration // default 2m
	// Rand returns a float in [0, 1); default math/rand/v2.
	Rand func() float64
}

// Wait returns the wait before retry number attempt (1 for the first retry), given the
// Retry-After of the answer that asked for it (0 when there was none).
func (b Backoff) Wait(attempt int, retryAfter time.Duration) time.Duration {
	base, ceiling, maxRA := b.Base, b.Max, b.MaxRetryAfter
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 10 * time.Second
	}
	if maxRA <= 0 {
		maxRA = 2 * time.Minute
	}
	random := b.Rand
	if random == nil {
		random = rand.Float64
	}
	d := base
	for i := 1; i < attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	d = time.Duration(random() * float64(d)) // full jitter
	if retryAfter > 0 {
		d = max(d, min(retryAfter, maxRA))
	}
	return d
}

// RetryAfter reads a Retry-After header: seconds, or an HTTP date. It returns 0 when there is
// none or it cannot be read.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
