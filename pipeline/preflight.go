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
// credentials, with its probe (onixwork and onkey Probe: calls that change nothing) sent by
// targets.Sender.Preflight. It returns an *AbortError naming the cause when the answer refuses
// the run, and nil when it lets the run go on.
func preflight(ctx context.Context, job *spec.Job, sender *targets.Sender) error {
	var probe targets.Probe
	var err error
	switch job.Target.Kind {
	case spec.OnixWork:
		probe = onixwork.Target{URL: job.Target.URL}.Probe()
	case spec.OnKey:
		probe, err = (&onkey.Target{Spec: job.Target}).Probe(job.Entities)
	default:
		err = &SetupError{Err: fmt.Errorf("target kind %q: sending is not supported", job.Target.Kind)}
	}
	if err != nil {
		return err
	}
	why, err := sender.Preflight(ctx, probe.Call, probe.NotThere)
	if err != nil || why == "" {
		return err
	}
	return &AbortError{Reason: "checking the target before reading any row (" + probe.What + "): " + why + "; nothing was read or sent"}
}
