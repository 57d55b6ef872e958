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
