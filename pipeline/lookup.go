package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// lookup is what On Key's exists check says of one record.
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
	return Message{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
		"%s; On Key has no %s with %s, so it was deleted then (or was already gone)", why, l.check.EntityType, l.check.Key())}
}

// lookUp finds the On Key records recs create or name (onkey.IdentityCheck), with exists checks
// of batch_size records each. It returns a lookup per userObjectId, none for a record that has no
// identity to look it up by. A check the answer does not settle (an unknown shape, an error, no
// mention of it) has a problem saying why; a transport failure or a non-2xx answer is an
// *AbortError.
func lookUp(ctx context.Context, job *spec.Job, sender *targets.Sender, recs []Sendable) (map[string]lookup, error) {
	var checks []onkey.ExistsCheck
	for _, r := range recs {
		if c, ok := onkey.IdentityCheck(r.UserObjectID, r.Body); ok {
			checks = append(checks, c)
		}
	}
	out := make(map[string]lookup, len(checks))
	for len(checks) > 0 {
		n := min(len(checks), max(job.Submit.BatchSize, 1))
		found, unreadable, err := checkExist(ctx, job, sender, checks[:n])
		if err != nil {
			return nil, err
		}
		for _, c := range checks[:n] {
			res, answered := found[c.UserObjectID]
			l := lookup{check: c, found: res.Presence == onkey.Present, id: res.ID, version: res.Version}
			switch {
			case unreadable != "":
				l.found, l.problem = false, unreadable
			case !answered:
				l.problem = "the answer does not mention it"
			case res.Presence == onkey.PresenceUnknown:
				l.problem = checkProblem(res)
			}
			out[c.UserObjectID] = l
		}
		checks = checks[n:]
	}
	return out, nil
}

// checkExist sends one exists-check request and returns its results by userObjectId, or, when
// the answer cannot be read as a list of results, why (unreadable).
func checkExist(ctx context.Context, job *spec.Job, sender *targets.Sender, checks []onkey.ExistsCheck) (_ map[string]onkey.ExistsResult, unreadable string, _ error) {
	body, err := json.Marshal(checks)
	if err != nil {
		return nil, "", err
	}
	ans, err := sender.Send(ctx, targets.Call{Method: "POST", URL: onkey.ExistsURL(job.Target),
		ContentType: onkey.ExistsContentType, Body: body, Idempotent: true})
	if err != nil {
		return nil, "", &AbortError{Reason: "looking records up in On Key: " + err.Error()}
	}
	if ans.Status/100 != 2 {
		return nil, "", &AbortError{Reason: fmt.Sprintf("looking records up in On Key: the exists check answered HTTP %d: %s",
			ans.Status, targets.Snippet(ans.Body))}
	}
	found, err := onkey.ReadExistsAnswer(ans.Body)
	if err != nil {
		return nil, fmt.Sprintf("HTTP %d, but %v", ans.Status, err), nil
	}
	return found, "", nil
}

// checkProblem says why a check's answer settles nothing: its error messages, else Why.
func checkProblem(res onkey.ExistsResult) string {
	var texts []string
	for _, m := range res.Messages {
		if m.IsError() {
			texts = append(texts, m.Message)
		}
	}
	if len(texts) == 0 {
		return res.Why
	}
	return strings.Join(texts, "; ")
}
