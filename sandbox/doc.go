// Package sandbox is a faithful, in-process emulator of the On Key REST API: a real HTTP server
// on loopback that answers imports (entityimportcollection), batch create/patch/delete, exists
// checks, background tasks and an OAuth2 client-credentials token endpoint, against a data model
// and seeded records taken from a Config. It injects faults (latency, 5xx, 429, connection
// resets, rate limits, lost answers) deterministically under a seed, and records every request
// and stored record for inspection, in Go (Records, Requests) and over HTTP (/_sandbox/...).
// The same server also emulates the Onix Work OpenAPI under /v1/ (token endpoint, orders,
// order lines, items, properties, workflow status lists), with request models validated against
// the JSON Schemas of package schemas, under the same faults and request log (OnixOrders,
// OnixOrderLines, /_sandbox/onixwork).
// Tests, samples and users' rehearsal runs use it instead of a live tenant. Where the public
// documents are silent the sandbox picks one behaviour; README.md lists each such assumption.
package sandbox
