package pipeline

import (
	"errors"

	"github.com/bulkload/bulkload/evaluate"
)

// SetupError is a problem found before any row is read: a schema that does not compile, a
// header with empty or duplicate names, a sheet that does not exist. The CLI exits 2 for it.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// fromEvaluate returns err with an *evaluate.SetupError in it made a *SetupError, and any other
// error as it is.
func fromEvaluate(err error) error {
	var se *evaluate.SetupError
	if errors.As(err, &se) {
		return &SetupError{Err: se.Err}
	}
	return err
}
