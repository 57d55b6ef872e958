package runstore

import (
	"context"

	"github.com/bulkload/bulkload/record"
)

// AddResolved puts into s the records of sink, once the cross-row rules have run over its index
// (Sink.Resolve), with their final statuses and messages, their further rows, the dependencies
// the rules linked and the rules' notes: what a run sends from, and what resume and reconcile
// read. The records keep the seqs the index gave them, so s must hold no record yet.
func (s *Store) AddResolved(ctx context.Context, sink *Sink) error {
	each, am, err := sink.Resolve()
	if err != nil {
		return err
	}
	if err := each(func(e *record.Entry) error { return s.Put(ctx, e) }); err != nil {
		return err
	}
	if err := s.PutDependencies(ctx, am.Deps, am.Notes); err != nil {
		return err
	}
	return s.Flush()
}
