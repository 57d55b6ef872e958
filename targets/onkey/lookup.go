package onkey

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// Lookup is what On Key's exists check says of one record.
type Lookup struct {
	Check   ExistsCheck
	Found   bool
	ID      string
	Version int64
	Problem string // why the check gave no answer; then Found means nothing
}

// Gone reports whether the check answered that On Key does not have the record.
func (l Lookup) Gone() bool { return l.Problem == "" && !l.Found }

// Deleted is the message of a Delete found gone after its answer was lost (why).
func (l Lookup) Deleted(why string) record.Message {
	return record.Message{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
		"%s; On Key has no %s with %s, so it was deleted then (or was already gone)", why, l.Check.EntityType, l.Check.Key())}
}

// LookupError means an exists-check request got no usable answer (no answer at all, or a
// non-2xx one): nothing can be settled with it, and the run should not go on sending.
type LookupError struct{ Reason string }

func (e *LookupError) Error() string { return "looking records up in On Key: " + e.Reason }

// LookUp finds the On Key records of batch by what they create or name (IdentityCheck), with
// exists checks of batch_size records each. It returns a Lookup per userObjectId, none for a
// record that has no identity to look it up by. A check the answer does not settle (an unknown
// shape, an error, no mention of it) has a Problem saying why; a transport failure or a non-2xx
// answer is a *LookupError.
func (t *Target) LookUp(ctx context.Context, batch []record.Entry) (map[string]Lookup, error) {
	var checks []ExistsCheck
	for _, e := range batch {
		if c, ok := IdentityCheck(e.UserObjectID, e.Body); ok {
			checks = append(checks, c)
		}
	}
	out := make(map[string]Lookup, len(checks))
	for len(checks) > 0 {
		n := min(len(checks), max(t.Submit.BatchSize, 1))
		found, unreadable, err := t.checkExist(ctx, checks[:n])
		if err != nil {
			return nil, err
		}
		for _, c := range checks[:n] {
			res, answered := found[c.UserObjectID]
			l := Lookup{Check: c, Found: res.Presence == Present, ID: res.ID, Version: res.Version}
			switch {
			case unreadable != "":
				l.Found, l.Problem = false, unreadable
			case !answered:
				l.Problem = "the answer does not mention it"
			case res.Presence == PresenceUnknown:
				l.Problem = checkProblem(res)
			}
			out[c.UserObjectID] = l
		}
		checks = checks[n:]
	}
	return out, nil
}

// checkExist sends one exists-check request and returns its results by userObjectId, or, when
// the answer cannot be read as a list of results, why (unreadable).
func (t *Target) checkExist(ctx context.Context, checks []ExistsCheck) (_ map[string]ExistsResult, unreadable string, _ error) {
	body, err := json.Marshal(checks)
	if err != nil {
		return nil, "", err
	}
	ans, err := t.Sender.Send(ctx, targets.Call{Method: "POST", URL: ExistsURL(t.Spec),
		ContentType: ExistsContentType, Body: body, Idempotent: true})
	if err != nil {
		return nil, "", &LookupError{Reason: err.Error()}
	}
	if ans.Status/100 != 2 {
		return nil, "", &LookupError{Reason: fmt.Sprintf("the exists check answered HTTP %d: %s", ans.Status, targets.Snippet(ans.Body))}
	}
	found, err := ReadExistsAnswer(ans.Body)
	if err != nil {
		return nil, fmt.Sprintf("HTTP %d, but %v", ans.Status, err), nil
	}
	return found, "", nil
}

// checkProblem says why a check's answer settles nothing: its error messages, else Why.
func checkProblem(res ExistsResult) string {
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
