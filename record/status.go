package record

// Status is where a record stands, as DESIGN.md defines the statuses. A dry run uses Valid,
// Invalid and Skipped; a run that sends adds the others.
type Status string

// The statuses of a record.
const (
	Valid     Status = "valid"     // passed every check; not sent (yet)
	Invalid   Status = "invalid"   // a cell, the schema, the mapping or a cross-row rule refused it
	Skipped   Status = "skipped"   // not sent: a parent or dependency is invalid, failed or skipped
	Succeeded Status = "succeeded" // the target said it stored the record, in a shape bulkload knows
	Failed    Status = "failed"    // the target refused the record
	Unknown   Status = "unknown"   // sent, and no answer says what became of it
	Pending   Status = "pending"   // to be sent by this run or its resume
)
