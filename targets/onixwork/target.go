package onixwork

import (
	"context"
	"net/http"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// Target is the Onix Work OpenAPI at URL: one call per record. It builds each call, reads each
// answer into the record's result on positive evidence only and says which records may be sent
// again. It is safe for concurrent use.
type Target struct{ URL string }

// Call is the request of the one record of batch (Post).
func (t Target) Call(batch []record.Entry) targets.Call { return Post(t.URL, batch[0]) }

// Read reads ans, the answer to the call of batch's one record, into its result: succeeded
// with the id the answer gives (none for a boolean answer), failed with the answer's problems,
// or unknown when the answer cannot be read.
func (t Target) Read(_ context.Context, ans *targets.Answer, batch []record.Entry) []record.Result {
	out := record.Result{Seq: batch[0].Seq, Outcome: record.Outcome{HTTPStatus: ans.Status, Attempts: ans.Attempts,
		DurationMS: ans.Duration.Milliseconds()}}
	res, err := ReadAnswer(ans.Status, ans.Body)
	switch {
	case err != nil:
		out.Status, out.Messages = record.Unknown, []record.Message{{Code: "unknown", Text: err.Error()}}
	case res.OK:
		out.Status = record.Succeeded
		if res.ID != "true" {
			out.ServerID = res.ID
		}
	default:
		out.Status = record.Failed
		for _, p := range res.Problems {
			// The field is the message's Property, which String puts in front of the text.
			out.Messages = append(out.Messages, record.Message{Code: p.Code, Property: p.Field, Text: p.Message})
		}
	}
	return []record.Result{out}
}

// Repeatable reports whether e may be sent again when its outcome is unknown (see the function
// Repeatable).
func (t Target) Repeatable(e record.Entry) bool { return Repeatable(e.Endpoint, e.Body) }

// Probe is a call that changes nothing and shows whether the target answers and takes the
// credentials: a read of the company's order statuses.
func (t Target) Probe() targets.Probe {
	u := URL(t.URL, "/v1/company/order-statuses")
	return targets.Probe{Call: targets.Call{Method: http.MethodGet, URL: u, Idempotent: true}, What: "GET " + u,
		NotThere: "there is no Onix Work API there: check target.url"}
}
