package pipeline

import "github.com/bulkload/bulkload/record"

// Statuses of a record (record.Status).
const (
	Valid     = record.Valid
	Invalid   = record.Invalid
	Skipped   = record.Skipped
	Succeeded = record.Succeeded
	Failed    = record.Failed
	Unknown   = record.Unknown
	Pending   = record.Pending
)

// Message is one problem or note about a record (record.Message).
type Message = record.Message

// shorten cuts a value for messages and reports (record.Shorten).
func shorten(s string) string { return record.Shorten(s) }

// Concurrency is summary.json's account of the requests in flight (record.Concurrency).
type Concurrency = record.Concurrency
