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
// identity to look it up by.
func lookUp(ctx context.Context, job *spec.Job, sender *targets.Sender, recs []Sendable) (map[string]lookup, error) {
	var checks []onkey.ExistsCheck
	for _, r := range recs {
		if c, ok := onkey.IdentityCheck(r.UOID, r.Body); ok {
			checks = append(checks, c)
		}
	}
	out := make(map[string]lookup, len(checks))
	for len(checks) > 0 {
		n := min(len(checks), max(job.Submit.BatchSize, 1))
		found, err := checkExist(ctx, job, sender, checks[:n])
		if err != nil {
			return nil, err
		}
		for _, c := range checks[:n] {
			res, answered := found[c.UserObjectID]
			l := lookup{check: c, found: res.Exists, id: res.ID, version: res.Version}
			if !answered || len(res.Messages) > 0 {
				l.found, l.problem = false, checkProblem(res, answered)
			}
			out[c.UserObjectID] = l
		}
		checks = checks[n:]
	}
	return out, nil
}

// checkExist sends one exists-check request and returns its results by userObjectId.
func checkExist(ctx context.Context, job *spec.Job, sender *targets.Sender, checks []onkey.ExistsCheck) (map[string]onkey.ExistsResult, error) {
	body, err := json.Marshal(checks)
	if err != nil {
		return nil, err
	}
	ans, err := sender.Send(ctx, targets.Call{Method: "POST", URL: onkey.ExistsURL(job.Target),
		ContentType: onkey.ExistsContentType, Body: body, Idempotent: true})
	if err != nil {
		return nil, &AbortError{Reason: "looking records up in On Key: " + err.Error()}
	}
	if ans.Status/100 != 2 {
		return nil, &AbortError{Reason: fmt.Sprintf("looking records up in On Key: the exists check answered HTTP %d: %s",
			ans.Status, targets.Snippet(ans.Body))}
	}
	found, err := onkey.ReadExistsAnswer(ans.Body)
	if err != nil {
		return nil, &AbortError{Reason: "looking records up in On Key: " + err.Error()}
	}
	return found, nil
}

// checkProblem says why a check gave no answer.
func checkProblem(res onkey.ExistsResult, answered bool) string {
	if !answered {
		return "the answer does not mention it"
	}
	var texts []string
	for _, m := range res.Messages {
		texts = append(texts, m.Message)
	}
	return strings.Join(texts, "; ")
}
