// Package onkey speaks to the On Key REST API: import batches (entityimportcollection) built
// from records, with the request options of the job's submit section; the answers read into
// outcomes; background tasks; exists checks.
package onkey

import (
	"net/url"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// ImportContentType is the content type of an import batch (seed 003).
const ImportContentType = "application/vnd.onkey.entityimportcollection+json"

// ImportURL is the URL an import batch is sent to, with the mode, ordered and async options:
// {url}/api/tenants/{tenant}/{connection}/modules/system/imports?mode=PerRecord&ordered=true.
func ImportURL(t spec.Target, s spec.Submit) string {
	q := url.Values{}
	if s.Mode != "" {
		q.Set("mode", s.Mode)
	}
	if s.Ordered {
		q.Set("ordered", "true")
	}
	if s.Async {
		q.Set("async", "true")
	}
	u := strings.TrimRight(t.URL, "/") + "/api/tenants/" + url.PathEscape(t.Tenant) + "/" +
		url.PathEscape(t.Connection) + "/modules/system/imports"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// Import is the one import request of batch, in the order given: the only builder of On Key
// requests, so the body a dry run writes to payloads/ and the body a run sends are the same
// bytes. Each entry's Body must be its encoded import object. The call is idempotent (may be
// sent again after an ambiguous failure) unless the batch holds a Create.
func Import(t spec.Target, s spec.Submit, batch []record.Entry) targets.Call {
	return AppendImport(nil, t, s, batch)
}

// AppendImport is Import with the body built in dst's memory (dst[:0] appended to): for a
// caller that is done with one request's body before it builds the next.
func AppendImport(dst []byte, t spec.Target, s spec.Submit, batch []record.Entry) targets.Call {
	method := t.Method
	if method == "" {
		method = "POST"
	}
	idempotent := true
	bodies := make([][]byte, len(batch))
	for i, e := range batch {
		bodies[i] = e.Body
		if IsCreate(e.Action) {
			idempotent = false
		}
	}
	return targets.Call{Method: method, URL: ImportURL(t, s), ContentType: ImportContentType,
		Body: appendBatchBody(dst[:0], bodies), Idempotent: idempotent}
}

// BatchBody is the body of one import request: the records' import objects as a JSON array, in
// the order given. Each element must be one record's encoded body.
func BatchBody(records ...[]byte) []byte { return appendBatchBody(nil, records) }

func appendBatchBody(b []byte, records [][]byte) []byte {
	n := 4
	for _, r := range records {
		n += len(r) + 2
	}
	b = slices.Grow(b, n)
	b = append(b, "[\n"...)
	for i, r := range records {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, r...)
	}
	return append(b, "\n]\n"...)
}

// IsCreate reports whether an import action creates a record (Insert is Create's other name):
// such a record may be created twice if its request is sent again blindly.
func IsCreate(action string) bool {
	return strings.EqualFold(action, "Create") || strings.EqualFold(action, "Insert")
}

// IsDelete reports whether an import action deletes a record.
func IsDelete(action string) bool { return strings.EqualFold(action, "Delete") }
