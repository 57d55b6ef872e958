// Package onixwork speaks to the Onix Work OpenAPI: one request per record (orders, order lines,
// items and properties), parents first.
package onixwork

import (
	"encoding/json"
	"strings"
)

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
