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

// reconcileUnknown settles the records a run left unknown (sent, no answer recorded) before
// Resume sends anything: a record that may already exist must not be created twice.
//
//   - On Key Creates are looked up by their Code with an exists check: found, the record
//     succeeded (with the id and version found); not found, it is pending and sent again. A Create
//     without a Code cannot be looked up and stays unknown, saying so.
//   - Other On Key actions (Update, Merge, Delete by id) and every Onix Work call (create or update
//     by key) can be repeated: they are pending.
func reconcileUnknown(ctx context.Context, job *spec.Job, store *Store, sender *targets.Sender) error {
	var outs []RecordOutcome
	var checks []onkey.ExistsCheck
	seqOf := map[string]int64{}
	err := store.Bodies(ctx, "status = 'unknown'", "seq", func(r Sendable) error {
		if job.Target.Kind != spec.OnKey || !isCreate(r.Action) {
			outs = append(outs, RecordOutcome{Seq: r.Seq, Status: Pending})
			return nil
		}
		entityType, code, ok := codeOf(r.Body)
		if !ok {
			outs = append(outs, RecordOutcome{Seq: r.Seq, Status: Unknown, Messages: []Message{{Code: "unanswered",
				Text: "sent, but no answer was recorded, and it has no Code to look it up by: check whether On Key has " +
					r.UOID + " before sending it again"}}})
			return nil
		}
		checks = append(checks, onkey.CodeCheck(r.UOID, entityType, code))
		seqOf[r.UOID] = r.Seq
		return nil
	})
	if err != nil {
		return err
	}
	for len(checks) > 0 {
		n := min(len(checks), max(job.Submit.BatchSize, 1))
		found, err := checkExist(ctx, job, sender, checks[:n])
		if err != nil {
			return err
		}
		for _, c := range checks[:n] {
			res, ok := found[c.UserObjectID]
			o := RecordOutcome{Seq: seqOf[c.UserObjectID], Status: Pending}
			switch {
			case !ok || len(res.Messages) > 0:
				o.Status, o.Messages = Unknown, []Message{{Code: "unanswered", Text: fmt.Sprintf(
					"sent, but no answer was recorded, and the exists check by Code %v failed: %s", c.Properties["Code"], checkProblem(res, ok))}}
			case res.Exists:
				o.Status, o.ServerID, o.Version = Succeeded, res.ID, res.Version
				o.Messages = []Message{{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
					"no answer was recorded for its request; On Key has %s with Code %v, so it was created then", c.EntityType, c.Properties["Code"])}}
			}
			outs = append(outs, o)
		}
		checks = checks[n:]
	}
	if len(outs) == 0 {
		return nil
	}
	return store.SetOutcomes(ctx, outs)
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
		return nil, &AbortError{Reason: "reconciling the records left unknown: " + err.Error()}
	}
	if ans.Status/100 != 2 {
		return nil, &AbortError{Reason: fmt.Sprintf("reconciling the records left unknown: the exists check answered HTTP %d: %s",
			ans.Status, targets.Snippet(ans.Body))}
	}
	found, err := onkey.ReadExistsAnswer(ans.Body)
	if err != nil {
		return nil, &AbortError{Reason: "reconciling the records left unknown: " + err.Error()}
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

// isCreate reports whether an import action creates a record (Insert is Create's other name).
func isCreate(action string) bool {
	return strings.EqualFold(action, "Create") || strings.EqualFold(action, "Insert")
}

// codeOf reads an import object's entityType and properties.Code.
func codeOf(body []byte) (entityType string, code any, ok bool) {
	var obj struct {
		EntityType string         `json:"entityType"`
		Properties map[string]any `json:"properties"`
	}
	if json.Unmarshal(body, &obj) != nil || obj.EntityType == "" {
		return "", nil, false
	}
	for k, v := range obj.Properties {
		if strings.EqualFold(k, "Code") && v != nil && v != "" {
			return obj.EntityType, v, true
		}
	}
	return "", nil, false
}
