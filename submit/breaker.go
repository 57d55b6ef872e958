package submit

import (
	"fmt"
	"net/http"

	"github.com/bulkload/bulkload/record"
)

// breakerWindow is how many requests the breaker watches at the start of a run: when every one
// of them failed the same way, the run stops. With concurrency c, at most breakerWindow+c-1
// requests are sent before it does.
const breakerWindow = 8

// breaker stops a run whose first requests all fail for the same reason: the same HTTP status
// refusing every record (a wrong endpoint, a rejected content type), or the same server code on
// every record (a required value the mapping never sets). Such a run would send every record to
// be refused. It watches the first breakerWindow requests only; a request with any record not
// failed, or failed differently, disarms it for the rest of the run. It is not safe for
// concurrent use (the run gate serialises it).
type breaker struct {
	window   int    // requests to watch; 0: off
	seen     int    // requests watched that failed the same way
	sig      string // how they failed: status and code
	reason   string // the same, in words, with the first record's message
	disarmed bool
}

// newBreaker returns the breaker of a run; on is submit.breaker.
func newBreaker(on bool) *breaker {
	if !on {
		return &breaker{disarmed: true}
	}
	return &breaker{window: breakerWindow}
}

// observe counts the outcomes of one request and returns an *AbortError when it completes a
// window of requests that all failed the same way.
func (b *breaker) observe(outs []record.Result) error {
	if b == nil || b.disarmed || len(outs) == 0 {
		return nil
	}
	sig, reason, same := sameFailure(outs)
	if !same || (b.seen > 0 && sig != b.sig) {
		b.disarmed = true
		return nil
	}
	if b.seen == 0 {
		b.sig, b.reason = sig, reason
	}
	if b.seen++; b.seen < b.window {
		return nil
	}
	b.disarmed = true
	return &AbortError{Reason: fmt.Sprintf("the first %d requests all failed the same way (%s), so the rest were not sent; to send every record regardless, set submit.breaker: false (or --no-breaker)",
		b.seen, b.reason)}
}

// sameFailure reports whether every record of one request failed for one reason, and that
// reason as a signature and in words. A request whose records failed with different codes fails
// for one reason only when its status refuses the request as a whole (not 2xx, 400, 409 or 422,
// the statuses of records refused one by one).
func sameFailure(outs []record.Result) (sig, reason string, same bool) {
	status := outs[0].HTTPStatus
	code, first := "", record.Message{}
	for i, o := range outs {
		if o.Status != record.Failed || o.HTTPStatus != status {
			return "", "", false
		}
		c := ""
		if len(o.Messages) > 0 {
			c = o.Messages[0].Code + " " + o.Messages[0].Property
		}
		switch {
		case i == 0:
			code = c
			if len(o.Messages) > 0 {
				first = o.Messages[0]
			}
		case c != code:
			code = ""
		}
	}
	if code == "" && (status/100 == 2 || status == http.StatusBadRequest || status == http.StatusConflict || status == http.StatusUnprocessableEntity) {
		return "", "", false
	}
	reason = fmt.Sprintf("HTTP %d", status)
	if code != "" {
		reason += ", every record refused with code " + first.Code
		if first.Property != "" {
			reason += " on " + first.Property
		}
		reason += fmt.Sprintf("; the first said %q", first.String())
	}
	return fmt.Sprintf("%d %s", status, code), reason, true
}
