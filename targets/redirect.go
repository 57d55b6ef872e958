package targets

import (
	"errors"
	"fmt"
	"net/http"
)

// RedirectError is a 3xx answer to a call. The Sender never follows a redirect: every call
// carries credentials, and most carry records, which must go only to the URL the spec names.
type RedirectError struct {
	Status   int
	Location string // the Location header, as sent ("" when there was none)
}

func (e *RedirectError) Error() string {
	where := "without a Location"
	if e.Location != "" {
		where = "to " + e.Location
	}
	return fmt.Sprintf("the target answered HTTP %d, redirecting %s: not followed, since the request carries credentials (and records); if that is where the API lives, set the target's url to it", e.Status, where)
}

// RefuseRedirect is an http.Client CheckRedirect for requests that carry credentials or bodies
// (token requests): it follows no redirect, and the client's error names where it pointed.
func RefuseRedirect(req *http.Request, _ []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return fmt.Errorf("redirected (HTTP %d) to %s: not followed, since the request carries credentials", status, req.URL.Redacted())
}

// noFollow is a CheckRedirect that hands the 3xx answer itself back to the caller.
func noFollow(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// IsRedirect reports whether err is a *RedirectError.
func IsRedirect(err error) bool {
	var re *RedirectError
	return errors.As(err, &re)
}
