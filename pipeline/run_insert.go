package pipeline

import (
	"context"
)

// addResolved puts into store the records of sink, once the cross-row rules have run over its
// index, with their final statuses and messages, their further rows, the dependencies the rules
// linked and the rules' notes: what a run sends from, and what resume and reconcile read. The
// records keep the seqs the index gave them. With pending, the valid records go in pending (a run
// about to send them); it returns how many did.
func addResolved(ctx context.Context, store *Store, sink *streamSink, pending bool) (int, error) {
	each, am, err := sink.resolve()
	if err != nil {
		return 0, err
	}
	n, err := store.Load(ctx, pending, each)
	if err != nil {
		return 0, err
	}
	if err := store.PutDependencies(ctx, am.Deps, am.Notes); err != nil {
		return 0, err
	}
	return n, store.Flush()
}
