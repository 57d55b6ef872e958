package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
)

// reconcileUnknown settles the records a run left unknown (sent, no answer recorded) before
// Resume sends anything: a record that may already exist must not be created twice.
//
//   - On Key Creates are looked up by their Code (or id converter) with an exists check: found,
//     the record succeeded (with the id and version found); not found, it is pending and sent
//     again. A Create with nothing to look it up by stays unknown, saying so.
//   - On Key Deletes are looked up the same way: gone, the record succeeded (sent again, the
//     delete would fail for want of the record); still there, or with nothing to look it up by,
//     it is pending and sent again.
//   - Updates and Merges, and Onix Work calls that create or update by key
//     (onixwork.Repeatable), can be repeated: they are pending. An Onix Work order or line
//     without its id or import id stays unknown, saying so.
func reconcileUnknown(ctx context.Context, job *spec.Job, store *Store, sender *targets.Sender) error {
	var outs []RecordOutcome
	var looked []Sendable // Creates and Deletes, to look up
	err := store.Bodies(ctx, "status = 'unknown'", "seq", func(r Sendable) error {
		switch {
		case job.Target.Kind == spec.OnixWork && !onixwork.Repeatable(r.Endpoint, r.Body):
			outs = append(outs, RecordOutcome{Seq: r.Seq, Status: Unknown, Messages: []Message{{Code: "unanswered",
				Text: "sent, but no answer was recorded, and it has no id or import id by which Onix Work would update " +
					"it instead of creating it again: check whether Onix Work has " + r.UOID + " before sending it again"}}})
			return nil
		case job.Target.Kind != spec.OnKey || !isCreate(r.Action) && !isDelete(r.Action):
			outs = append(outs, RecordOutcome{Seq: r.Seq, Status: Pending})
			return nil
		}
		r.Body = bytes.Clone(r.Body)
		looked = append(looked, r)
		return nil
	})
	if err != nil {
		return err
	}
	found, err := lookUp(ctx, job, sender, looked)
	if err != nil {
		return err
	}
	for _, r := range looked {
		l, checked := found[r.UOID]
		o := RecordOutcome{Seq: r.Seq, Status: Pending}
		switch {
		case isDelete(r.Action):
			if checked && l.gone() {
				o.Status, o.Messages = Succeeded, []Message{l.deleted("no answer was recorded for its request")}
			}
		case !checked:
			o.Status, o.Messages = Unknown, []Message{{Code: "unanswered",
				Text: "sent, but no answer was recorded, and it has no Code to look it up by: check whether On Key has " +
					r.UOID + " before sending it again"}}
		case l.problem != "":
			o.Status, o.Messages = Unknown, []Message{{Code: "unanswered", Text: fmt.Sprintf(
				"sent, but no answer was recorded, and the exists check by %s failed: %s", l.check.Key(), l.problem)}}
		case l.found:
			o.Status, o.ServerID, o.Version = Succeeded, l.id, l.version
			o.Messages = []Message{{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
				"no answer was recorded for its request; On Key has %s with %s, so it was created then", l.check.EntityType, l.check.Key())}}
		}
		outs = append(outs, o)
	}
	if len(outs) == 0 {
		return nil
	}
	return store.SetOutcomes(ctx, outs)
}

// isCreate reports whether an import action creates a record (Insert is Create's other name).
func isCreate(action string) bool {
	return strings.EqualFold(action, "Create") || strings.EqualFold(action, "Insert")
}

// isDelete reports whether an import action deletes a record.
func isDelete(action string) bool { return strings.EqualFold(action, "Delete") }
