package schemas

import _ "embed"

//go:embed job.schema.json
var jobSchema []byte

// JobSchema returns the JSON Schema (draft 2020-12) of a bulkload job spec, as embedded at build
// time. The caller must not modify the returned slice.
func JobSchema() []byte { return jobSchema }
