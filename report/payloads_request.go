package report

import (
	"encoding/json"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// The requests payloads/ holds are built here only, by the targets' builders, so that what a
// dry run writes is what a run sends.

// onKeyRequest is the import batch of the On Key records bodies (userObjectIds ids).
func onKeyRequest(job *spec.Job, bodies []json.RawMessage, ids []string) ([]byte, payloadIndexLine) {
	return onkey.BatchBody(bodies), payloadIndexLine{Method: job.Target.Method, URL: onkey.ImportURL(job.Target, job.Submit),
		ContentType: onkey.ImportContentType, UserObjectIDs: ids}
}

// onixRequest is the call that creates one Onix Work record at endpoint.
func onixRequest(job *spec.Job, endpoint, uoid string, body []byte) ([]byte, payloadIndexLine) {
	return body, payloadIndexLine{Method: "POST", URL: onixwork.URL(job.Target.URL, endpoint),
		ContentType: "application/json", UserObjectIDs: []string{uoid}}
}
