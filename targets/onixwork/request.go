// Package onixwork speaks to the Onix Work OpenAPI: one request per record (orders, order lines,
// items and properties), parents first.
package onixwork

import (
	"encoding/json"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// ContentType is the content type of every Onix Work request body.
const ContentType = "application/json"

// Post is the one request of record e, posted to its endpoint under base: the only builder of
// Onix Work requests, so the body a dry run writes to payloads/ and the body a run sends are
// the same bytes. e.Body must be its encoded model. Orders and order lines are created or
// updated by key and items and properties update a line (API-FACTS.md), so the call may be
// sent again after an ambiguous failure.
func Post(base string, e record.Entry) targets.Call {
	return targets.Call{Method: "POST", URL: URL(base, e.Endpoint), ContentType: ContentType, Body: e.Body, Idempotent: true}
}

// URL is the URL a record of the given endpoint (such as "/v1/orders") is posted to.
func URL(base, endpoint string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(endpoint, "/")
}

// TokenPath is the endpoint of short-lived tokens (seed 000).
const TokenPath = "/v1/Account/token"

// TokenURL is the token endpoint of the Onix Work OpenAPI at base.
func TokenURL(base string) string { return URL(base, TokenPath) }

// Repeatable reports whether posting body to endpoint again cannot create a second record: orders
// and order lines are created or updated by key (API-FACTS.md), so they are repeatable when they
// carry their id or import id; items and properties only update a line, and always are.
func Repeatable(endpoint string, body []byte) bool {
	var keys []string
	switch strings.ToLower(strings.TrimRight(endpoint, "/")) {
	case "/v1/orders":
		keys = []string{"orderId", "orderImportId"}
	case "/v1/order-lines":
		keys = []string{"orderLineId", "orderLineImportId"}
	default:
		return true
	}
	var fields map[string]any
	if json.Unmarshal(body, &fields) != nil {
		return false
	}
	for _, k := range keys {
		if v, ok := fields[k]; ok && v != nil && v != "" {
			return true
		}
	}
	return false
}
