package report

import (
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// The requests payloads/ holds are built here only, by the targets' builders (onkey.Import,
// onixwork.Post), the ones a run sends with: what a dry run writes is what a run sends.

// onKeyRequest is the import batch of the On Key records batch (userObjectIds and bodies), its
// body built in dst's memory.
func onKeyRequest(dst []byte, job *spec.Job, batch []record.Entry) ([]byte, payloadIndexLine) {
	call := onkey.AppendImport(dst, job.Target, job.Submit, batch)
	ids := make([]string, len(batch))
	for i, e := range batch {
		ids[i] = e.UserObjectID
	}
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
