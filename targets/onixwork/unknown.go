package onixwork

import (
	"errors"

	"github.com/bulkload/bulkload/record"
)

// ErrNoReadBack is why a run against Onix Work cannot be reconciled: the OpenAPI has no way to
// read an order or a line back, so what became of an unknown one is settled by sending it again
// when that cannot create it twice (Unanswered).
var ErrNoReadBack = errors.New("the Onix Work OpenAPI documents no endpoint that reads orders or lines back, " +
	"so there is nothing to check a run against; bulkload run --resume sends the unknown records " +
	"that carry their id or import id again, which updates them if they exist")

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
