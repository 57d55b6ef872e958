package runstore

import (
	"context"
)

// AddResolved puts into s the records of sink, once the cross-row rules have run over its index
// (Sink.Resolve), with their final statuses and messages, their further rows, the dependencies
// the rules linked and the rules' notes: what a run sends from, and what resume and reconcile
// read. The records keep the seqs the index gave them, so s must hold no record yet. With
// pending, the valid records go in pending (a run about to send them); it returns how many did.
// The records are put as one bulk Load: durable once BeginSending returns.
func (s *Store) AddResolved(ctx context.Context, sink *Sink, pending bool) (int, error) {
	each, am, err := sink.Resolve()
	if err != nil {
		return 0, err
	}
	n, err := s.Load(ctx, pending, each)
	if err != nil {
		return 0, err
	}
	if err := s.PutDependencies(ctx, am.Deps, am.Notes); err != nil {
		return 0, err
	}
	return n, s.Flush()
}
