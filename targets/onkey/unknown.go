package onkey

import (
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// Unanswered is what becomes of record e, which a run sent without learning what became of it
// (status unknown), so that a record that may already exist is never created twice. found is
// what the exists checks found (LookUp's answer for a batch e was in); before are e's messages
// before the checks.
//
//   - An Update or a Merge can be repeated: it is Pending, and sent again. It needs no check.
//   - A Create found is Succeeded, with the id and version found; found absent, it is Pending
//     and sent again. With nothing to look it up by, or a check that settles nothing (an answer
//     of an unknown shape, an error), it stays Unknown, saying so and why (the messages of
//     before that said why, without the notes of earlier checks).
//   - A Delete found gone is Succeeded (sent again, it would fail for want of the record); still
//     there, or with nothing to look it up by, or a check that settles nothing, it is Pending.
func Unanswered(e record.Entry, found map[string]Lookup, before []record.Message) record.Result {
	res := record.Result{Seq: e.Seq, Status: record.Pending}
	l, checked := found[e.UserObjectID]
	switch {
	case !IsCreate(e.Action) && !IsDelete(e.Action):
	case IsDelete(e.Action) && checked && l.Gone():
		res.Status, res.Messages = record.Succeeded, []record.Message{l.Deleted("its outcome was not known")}
	case IsDelete(e.Action) && checked && l.Found:
		res.Messages = []record.Message{{Code: "not_applied", Severity: "info", Text: fmt.Sprintf(
			"its outcome was not known, and On Key still has %s with %s: it is sent again", l.Check.EntityType, l.Check.Key())}}
	case IsDelete(e.Action):
	case !checked:
		res.Status, res.Messages = record.Unknown, []record.Message{{Code: "unanswered",
			Text: "sent, but its outcome is not known, and it has no Code to look it up by: check whether On Key has " +
				e.UserObjectID + " before sending it again"}}
	case l.Problem != "":
		res.Status, res.Messages = record.Unknown, append(whyUnknown(before), record.Message{Code: "unanswered", Text: fmt.Sprintf(
			"sent, but its outcome is not known, and the exists check by %s settles nothing (%s): it is not sent again; "+
				"check whether On Key has %s (bulkload reconcile) before sending it again", l.Check.Key(), l.Problem, e.UserObjectID)})
	case l.Found:
		res.Status, res.ServerID, res.Version = record.Succeeded, l.ID, l.Version
		res.Messages = []record.Message{{Code: "reconciled", Severity: "info", Text: fmt.Sprintf(
			"its outcome was not known; On Key has %s with %s, so it was created then", l.Check.EntityType, l.Check.Key())}}
	default: // gone
		res.Messages = []record.Message{{Code: "not_applied", Severity: "info", Text: fmt.Sprintf(
			"its outcome was not known, and On Key has no %s with %s: it was not applied and is sent again", l.Check.EntityType, l.Check.Key())}}
	}
	return res
}

// whyUnknown is what a record's messages said of its outcome before it was looked up: those of
// its answer, without the notes of earlier lookups.
func whyUnknown(ms []record.Message) []record.Message {
	var out []record.Message
	for _, m := range ms {
		if m.Code != "unanswered" {
			out = append(out, m)
		}
	}
	return out
}
