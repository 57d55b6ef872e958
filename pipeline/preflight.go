package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// Bounds of the preflight calls: enough to ride out a blip, short enough that a target that cannot
// be reached is named within seconds, not after the full retries of a run.
const (
	preflightRetries = 2
	preflightTimeout = 10 * time.Second
	preflightBackoff = time.Second
)

// preflight checks, before any row is read, that the job's target answers and takes the
// credentials, with calls that change nothing: the token request (through the first call's
// Authorization), then for Onix Work a read of its order statuses, for On Key an exists check of a
// Code no record has, which reveals a wrong URL, tenant, connection or token. It returns an
// *AbortError naming the cause when the target cannot be reached, refuses the credentials,
// redirects, or answers that nothing is there (404, 405, 410); an answer that does not settle it
// (429 or 5xx after the retries, an answer lost after the request was sent, a 4xx about the
// check itself) lets the run go on, to meet the run's own retries.
func preflight(ctx context.Context, job *spec.Job, sender *targets.Sender) error {
	s := *sender
	s.Retries = min(s.Retries, preflightRetries)
	s.Backoff.Max = atMost(s.Backoff.Max, preflightBackoff)
	s.Timeout = atMost(s.Timeout, preflightTimeout)
	call, what, err := preflightCall(job)
	if err != nil {
		return err
	}
	ans, err := s.Send(ctx, call)
	abort := func(why string) error {
		return &AbortError{Reason: "checking the target before reading any row (" + what + "): " + why + "; nothing was read or sent"}
	}
	var te *targets.TransportError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &te) && te.Ambiguous:
		return nil // it was sent; what became of it does not say the target is wrong
	case errors.As(err, &te):
		return abort("the target cannot be reached: " + err.Error())
	case err != nil:
		return abort(err.Error())
	}
	switch {
	case ans.Status/100 == 2:
		return nil
	case ans.Status == http.StatusNotFound || ans.Status == http.StatusMethodNotAllowed || ans.Status == http.StatusGone:
		return abort(fmt.Sprintf("HTTP %d: %s; %s", ans.Status, targets.Snippet(ans.Body), nothingThere(job)))
	}
	return nil
}

// preflightCall is the call preflight makes for job's target, and what it is in words.
func preflightCall(job *spec.Job) (targets.Call, string, error) {
	switch job.Target.Kind {
	case spec.OnixWork:
		call, what := onixwork.Target{URL: job.Target.URL}.ProbeCall()
		return call, what, nil
	case spec.OnKey:
		entityType := "Site"
		for _, e := range job.Entities {
			if e.EntityType != "" {
				entityType = e.EntityType
				break
			}
		}
		return (&onkey.Target{Spec: job.Target}).ProbeCall(entityType)
	}
	return targets.Call{}, "", &SetupError{fmt.Errorf("target kind %q: sending is not supported", job.Target.Kind)}
}

// nothingThere says what a 404 to the preflight call means for job's target.
func nothingThere(job *spec.Job) string {
	if job.Target.Kind == spec.OnKey {
		return fmt.Sprintf("there is no On Key API there for tenant %q and connection %q: check target.url, target.tenant and target.connection",
			job.Target.Tenant, job.Target.Connection)
	}
	return "there is no Onix Work API there: check target.url"
}

// atMost is d bounded by limit, where a d of 0 (no bound) is limit.
func atMost(d, limit time.Duration) time.Duration {
	if d <= 0 || d > limit {
		return limit
	}
	return d
}
