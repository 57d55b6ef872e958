package pipeline

import (
	"fmt"

	"github.com/bulkload/bulkload/spec"
)

// A validation-only job (spec.Job.ValidationOnly) has its rows typed and validated and nothing
// more, each row one record (see package evaluate). Such a job is never run:
// RefuseValidationOnly says what to add.

// RefuseValidationOnly returns a *SetupError saying what to add when job is validation-only,
// and nil otherwise: such a job can be validated, not run.
func RefuseValidationOnly(job *spec.Job) error {
	if !job.ValidationOnly() {
		return nil
	}
	what := "no entities"
	if job.Target.Kind == "" {
		what = "no target and no entities"
	}
	return &SetupError{fmt.Errorf("job %s has %s, so it can only be validated (bulkload validate %s); to send its rows, "+
		"add a target: (kind, url and, for On Key, tenant and connection) and entities: that map each source's rows to records", job.Name, what, job.File)}
}
