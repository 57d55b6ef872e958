package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// lookup is what On Key's exists check says of one record (onkey.Lookup), as reconciling reads
// it.
type lookup struct {
	check   onkey.ExistsCheck
	found   bool
	id      string
	version int64
	problem string // why the check gave no answer; then found means nothing
}

// gone reports whether the check answered that On Key does not have the record.
func (l lookup) gone() bool { return l.problem == "" && !l.found }

// deleted is the message of a Delete found gone after its answer was lost (why).
func (l lookup) deleted(why string) Message {
	return onkey.Lookup{Check: l.check, Found: l.found, Problem: l.problem}.Deleted(why)
}

// lookUp finds the On Key records recs create or name (onkey.Target.LookUp): a lookup per
// userObjectId, none for a record that has no identity to look it up by. An exists-check
// request without a usable answer is an *AbortError.
func lookUp(ctx context.Context, job *spec.Job, sender *targets.Sender, recs []Sendable) (map[string]lookup, error) {
	t := &onkey.Target{Spec: job.Target, Submit: job.Submit, Sender: sender}
	found, err := t.LookUp(ctx, entriesOf(recs))
	var le *onkey.LookupError
	if errors.As(err, &le) {
		return nil, &AbortError{Reason: le.Error()}
	}
	if err != nil {
		return nil, err
	}
	out := make(map[string]lookup, len(found))
	for uoid, l := range found {
		out[uoid] = lookup{check: l.Check, found: l.Found, id: l.ID, version: l.Version, problem: l.Problem}
	}
	return out, nil
}
