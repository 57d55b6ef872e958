package pipeline

import (
	"context"

	"github.com/bulkload/bulkload/record"
)

// addResolved puts into store the records of sink, once the cross-row rules have run over its
// index, with their final statuses and messages, their further rows, the dependencies the rules
// linked and the rules' notes: what a run sends from, and what resume and reconcile read. The
// records keep the seqs the index gave them.
func addResolved(ctx context.Context, store *Store, sink *streamSink) error {
	each, am, err := sink.resolve()
	if err != nil {
		return err
	}
	if err := each(func(e *record.Entry) error { return store.Put(ctx, e) }); err != nil {
		return err
	}
	if err := store.PutDependencies(ctx, am.Deps, am.Notes); err != nil {
		return err
	}
	return store.Flush()
}
