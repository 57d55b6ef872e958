// Package onixwork speaks to the Onix Work OpenAPI: one request per record (orders, order lines,
// items and properties), parents first.
package onixwork

import "strings"

// URL is the URL a record of the given endpoint (such as "/v1/orders") is posted to.
func URL(base, endpoint string) string {
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(endpoint, "/")
}

// TokenPath is the endpoint of short-lived tokens (seed 000).
const TokenPath = "/v1/Account/token"

// TokenURL is the token endpoint of the Onix Work OpenAPI at base.
func TokenURL(base string) string { return URL(base, TokenPath) }
