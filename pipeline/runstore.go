package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/runstore"
)

// createStore makes the run store of a new run in dir with the facts in meta, and opens it
// (runstore.Create); a directory whose store records were sent from is a *SetupError.
func createStore(ctx context.Context, dir string, meta map[string]string) (*runstore.Store, error) {
	s, err := runstore.Create(ctx, dir, meta)
	if sent := new(runstore.SentError); errors.As(err, &sent) {
		return nil, &SetupError{err}
	}
	return s, err
}
