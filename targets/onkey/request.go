// Package onkey speaks to the On Key REST API: import batches (entityimportcollection) built
// from records, with the request options of the job's submit section.
package onkey

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/bulkload/bulkload/spec"
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

// BatchBody is the body of one import request: the records' import objects as a JSON array, in
// the order given. Each element must be one record's encoded body.
func BatchBody(records []json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, r := range records {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(r)
	}
	b.WriteString("\n]\n")
	return b.Bytes()
}
