package targets

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Call is one HTTP request to a target.
type Call struct {
	Method      string
	URL         string
	ContentType string
	Body        []byte
	// Idempotent says the call may be sent again after an ambiguous failure (it was sent and no
	// answer came): true for Merge, Update and Delete imports and for create-or-update by key;
	// false for a Create, which could be created twice.
	Idempotent bool
}

// Answer is the target's final answer to a call, after any retries.
type Answer struct {
	Status   int
	Header   http.Header
	Body     []byte
	Attempts int           // requests made, 1 when the first one was answered for good
	Duration time.Duration // from the first attempt to the answer, waits included
}

// AuthError means the target refused the credentials even after a fresh token, or (Status 0) no
// token could be had from a token endpoint that answered: the run cannot go on.
type AuthError struct {
	Status int    // the target's refusal; 0 when the token endpoint refused
	Body   string // the start of the answer, for the message
}

func (e *AuthError) Error() string {
	if e.Status == 0 {
		return "no token: " + e.Body // the token endpoint's own words
	}
	return fmt.Sprintf("the target refused the credentials (HTTP %d) after a fresh token: %s", e.Status, e.Body)
}

// TransportError means no usable answer came: the target could not be reached, or the connection
// failed, or the call timed out, or the answer broke off or was larger than the Sender's
// MaxAnswer, on every attempt.
type TransportError struct {
	Err      error
	Attempts int
	// Ambiguous is set when the call may have reached the target and been applied (the
	// connection failed after the request was sent). Its records' outcome is unknown.
	Ambiguous bool
}

func (e *TransportError) Error() string {
	what := "no answer"
	var re *readError
	if errors.As(e.Err, &re) {
		what = "no usable answer"
	}
	what = fmt.Sprintf("%s after %d attempt(s)", what, e.Attempts)
	if cause := NetCause(e.Err); cause != "" {
		what += ", " + cause
	}
	if e.Ambiguous {
		what += "; the request may have been applied"
	}
	return fmt.Sprintf("%s: %v", what, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsAuth reports whether err is an *AuthError.
func IsAuth(err error) bool {
	var ae *AuthError
	return errors.As(err, &ae)
}
