package pipeline

import (
	"context"
	"fmt"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
)

// Entry is a record on its way into the store: what a mapping made of one row, and its status
// (evaluate.Entry).
type Entry = evaluate.Entry

// stored is e as the run store takes it: its body encoded (when the caller has not), and the
// typed row of a record to remap too.
func stored(e Entry) (record.Entry, error) {
	if e.Body == nil {
		if err := e.Encode(); err != nil {
			return record.Entry{}, fmt.Errorf("run store: %w", err)
		}
	}
	out := e.Stored()
	out.Rows = nil // the store keeps the first row in the record itself
	if e.Remap != nil {
		env, err := e.Remap.Encode()
		if err != nil {
			return record.Entry{}, fmt.Errorf("run store: record %q: %w", e.Record.UserObjectID, err)
		}
		out.Env = env
	}
	return out, nil
}

// addEntry stores e in store (Store.Add).
func addEntry(ctx context.Context, store *Store, e Entry) error {
	r, err := stored(e)
	if err != nil {
		return err
	}
	return store.Add(ctx, r)
}
