package pipeline

import (
	"context"
	"fmt"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// preflight checks, before any row is read, that the job's target answers and takes the
// credentials, with its probe (onixwork and onkey ProbeCall: calls that change nothing) sent by
// targets.Sender.Preflight. It returns an *AbortError naming the cause when the answer refuses
// the run, and nil when it lets the run go on.
func preflight(ctx context.Context, job *spec.Job, sender *targets.Sender) error {
	call, what, err := preflightCall(job)
	if err != nil {
		return err
	}
	why, err := sender.Preflight(ctx, call, nothingThere(job))
	if err != nil || why == "" {
		return err
	}
	return &AbortError{Reason: "checking the target before reading any row (" + what + "): " + why + "; nothing was read or sent"}
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
