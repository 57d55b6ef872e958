package runstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// Put stores a record whose cross-row rules have run (Resolve over an Index that numbered the
// records as this store would), with the seq it has, its final status and messages and its
// further rows. Seqs must come in ascending order and after every seq the store holds: merged
// records leave gaps, never a second record under one seq. The inserts are buffered as Insert's.
func (s *Store) Put(ctx context.Context, e *record.Entry) error {
	if e.Seq < s.nextSeq {
		return fmt.Errorf("run store: record %d after record %d", e.Seq, s.nextSeq-1)
	}
	s.nextSeq = e.Seq + 1
	return s.buffered(ctx, s.addRecord(e.Seq, e))
}

// PutDependencies stores what Resolve found of On Key records on records of earlier groups (its
// Amendments' Deps and Notes).
func (s *Store) PutDependencies(ctx context.Context, deps []Dep, notes []string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	for _, d := range deps {
		if _, err := s.exec(ctx, `INSERT INTO deps(seq, dep, property, ref) VALUES(?,?,?,?)`, d.Seq, d.On, d.Property, d.Ref); err != nil {
			return err
		}
	}
	if len(notes) == 0 {
		return nil
	}
	b, err := json.Marshal(notes)
	if err != nil {
		return err
	}
	return s.SetMeta(ctx, metaDepNotes, string(b))
}
