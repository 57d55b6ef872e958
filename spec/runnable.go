package spec

import "fmt"

// CheckRunnable returns an error saying what to add when the job is validation-only
// (ValidationOnly), and nil otherwise: such a job can be validated, not run.
func (j *Job) CheckRunnable() error {
	if !j.ValidationOnly() {
		return nil
	}
	what := "no entities"
	if j.Target.Kind == "" {
		what = "no target and no entities"
	}
	return fmt.Errorf("job %s has %s, so it can only be validated (bulkload validate %s); to send its rows, "+
		"add a target: (kind, url and, for On Key, tenant and connection) and entities: that map each source's rows to records", j.Name, what, j.File)
}
