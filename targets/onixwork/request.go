// Package onixwork speaks to the Onix Work OpenAPI: one request per record (orders, order lines,
// items and properties), parents first.
package onixwork

import "strings"

// URL is the URL a record of the given endpoint (such as "/v1/orders") is posted to.
func URL(base, endpoint string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(endpoint, "/")
}
