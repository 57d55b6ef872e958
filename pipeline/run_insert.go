package pipeline

import (
	"context"
	"encoding/json"

	"github.com/bulkload/bulkload/record"
)

// addResolved puts into the store the records of sink, once the cross-row rules have run over
// its index, with their final statuses and messages, their further rows, the dependencies the
// rules linked and the rules' notes: what a run sends from, and what resume and reconcile read.
// The records keep the seqs the index gave them. The inserts go in multi-row statements, a
// transaction per batchSize records.
func (s *Store) addResolved(ctx context.Context, sink *streamSink) error {
	each, am, err := sink.resolve()
	if err != nil {
		return err
	}
	err = each(func(e *record.Entry) error {
		var env any
		if e.Env != nil {
			env = string(e.Env)
		}
		full := s.records.add(e.Seq, e.UserObjectID, e.Entity, e.Kind, e.EntityType, e.Action, e.Endpoint, e.GroupOrder,
			e.Parent, e.Distinct, e.Status, e.Source, e.Origin, e.OriginLine, e.OriginPath, encodeMessages(e.Messages))
		full = s.bodies.add(e.Seq, string(e.Body), env) || full
		for i, r := range e.Further {
			full = s.rows.add(e.Seq, r.Source, e.Rows[i+1], r.Line, r.Path) || full
		}
		s.nextSeq = max(s.nextSeq, e.Seq+1)
		return s.buffered(ctx, full)
	})
	if err != nil {
		return err
	}
	for _, d := range am.Deps {
		if _, err := s.exec(ctx, `INSERT INTO deps(seq, dep, property, ref) VALUES(?,?,?,?)`, d.Seq, d.On, d.Property, d.Ref); err != nil {
			return err
		}
	}
	if len(am.Notes) > 0 {
		b, err := json.Marshal(am.Notes)
		if err != nil {
			return err
		}
		if err := s.SetMeta(ctx, metaDepNotes, string(b)); err != nil {
			return err
		}
	}
	return s.Flush()
}
