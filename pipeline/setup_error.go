package pipeline

import "github.com/bulkload/bulkload/evaluate"

// SetupError is a problem found before any row is read, so that nothing was read or sent: a
// schema that does not compile, a header with empty or duplicate names, a sheet that does not
// exist (evaluate's), a run directory that cannot be used, a job that cannot be run. It is
// evaluate.SetupError, one type for every stage. The CLI exits 2 for it.
type SetupError = evaluate.SetupError
