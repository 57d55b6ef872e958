package onixwork

import "github.com/bulkload/bulkload/record"

// Unanswered is what becomes of record e, an order or line a run sent without recording an
// answer (status unknown), so that none is created twice: Onix Work documents no way to read
// one back, so one it creates or updates by key (Repeatable) is Pending, and sent again; any
// other stays Unknown, saying why and what to check.
func Unanswered(e record.Entry) record.Result {
	if Repeatable(e.Endpoint, e.Body) {
		return record.Result{Seq: e.Seq, Status: record.Pending}
	}
	return record.Result{Seq: e.Seq, Status: record.Unknown, Messages: []record.Message{{Code: "unanswered",
		Text: "sent, but no answer was recorded, and it has no id or import id by which Onix Work would update " +
			"it instead of creating it again: check whether Onix Work has " + e.UserObjectID + " before sending it again"}}}
}
