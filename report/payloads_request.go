package report

import (
	"encoding/json"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// The requests payloads/ holds are built here only, by the targets' builders (onkey.Import,
// onixwork.Post), the ones a run sends with: what a dry run writes is what a run sends.

// onKeyRequest is the import batch of the On Key records bodies (userObjectIds ids).
func onKeyRequest(job *spec.Job, bodies []json.RawMessage, ids []string) ([]byte, payloadIndexLine) {
	batch := make([]record.Entry, len(bodies))
	for i, b := range bodies {
		batch[i] = record.Entry{UserObjectID: ids[i], Body: b}
	}
	call := onkey.Import(job.Target, job.Submit, batch)
	return call.Body, indexLine(call, ids)
}

// onixRequest is the call that creates one Onix Work record at endpoint.
func onixRequest(job *spec.Job, endpoint, uoid string, body []byte) ([]byte, payloadIndexLine) {
	call := onixwork.Post(job.Target.URL, record.Entry{UserObjectID: uoid, Endpoint: endpoint, Body: body})
	return call.Body, indexLine(call, []string{uoid})
}

// indexLine is the index line of a request built for the records uoids.
func indexLine(c targets.Call, uoids []string) payloadIndexLine {
	return payloadIndexLine{Method: c.Method, URL: c.URL, ContentType: c.ContentType, UserObjectIDs: uoids}
}
