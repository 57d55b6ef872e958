package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// lookUp finds the On Key records recs create or name (onkey.Target.LookUp): a lookup per
// userObjectId, none for a record that has no identity to look it up by. An exists-check
// request without a usable answer is an *AbortError.
func lookUp(ctx context.Context, job *spec.Job, sender *targets.Sender, recs []runstore.Sendable) (map[string]onkey.Lookup, error) {
	t := &onkey.Target{Spec: job.Target, Submit: job.Submit, Sender: sender}
	entries := make([]record.Entry, len(recs))
	for i, r := range recs {
		entries[i] = r.Entry()
	}
	found, err := t.LookUp(ctx, entries)
	var le *onkey.LookupError
	if errors.As(err, &le) {
		return nil, &AbortError{Reason: le.Error()}
	}
	return found, err
}
