package runstore

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/bulkload/bulkload/record"
)

// Sink is the compact index of an evaluation's records, with the records themselves spilled to
// disk: the records go, in row order, to a spill file (record.Spill) and what the cross-row
// rules need of them to an Index. A record that joins the last record of its distinct entity
// (Index.Add: a valid row of the same key and body) is one of that record's rows and is not
// spilled. Resolve then applies the rules and streams the records as they amended them.
//
// A Sink is not safe for concurrent use. Close removes the spill and the index's spill file.
type Sink struct {
	ix    *Index
	spill *record.Spill
	n     int64   // records spilled: the last seq
	offs  []int64 // where every offsetEvery-th record is in the spill, from seq 1
	feed  func(*record.Entry) error
}

// Feed has every record the sink spills from now on given to fn too, numbered, in order (a
// run's store loading beside the evaluation: Loading.Put).
func (s *Sink) Feed(fn func(*record.Entry) error) { s.feed = fn }

// NewSink returns an empty sink whose index has opts and whose spill is in opts.SpillDir (""
// is os.TempDir). opts.FirstSeq must be 0 or 1: the sink numbers the records it spills from 1.
func NewSink(opts Options) (*Sink, error) {
	if opts.FirstSeq > 1 {
		return nil, fmt.Errorf("run index: a sink numbers its records from 1, not %d", opts.FirstSeq)
	}
	spill, err := record.NewSpill(opts.SpillDir)
	if err != nil {
		return nil, err
	}
	return &Sink{ix: NewIndex(opts), spill: spill}, nil
}

// Add indexes e, whose Body is encoded, and spills it with the seq the index gives it (set in
// e.Seq), unless it joined the record before it. Rows, Further and Outcome are not kept: the
// record's first row is its Origin, and Resolve gives its further rows.
func (s *Sink) Add(e *record.Entry) error {
	seq, joined, err := s.ix.Add(Item{UserObjectID: e.UserObjectID, Entity: e.Entity, Kind: e.Kind,
		EntityType: e.EntityType, GroupOrder: e.GroupOrder, Parent: e.Parent, Distinct: e.Distinct, Status: e.Status,
		Body: e.Body, Source: e.Source, Origin: e.Origin, OriginLine: e.OriginLine, OriginPath: e.OriginPath})
	if err != nil || joined {
		return err
	}
	if seq != s.n+1 {
		return fmt.Errorf("run index: record %d, want %d", seq, s.n+1)
	}
	e.Seq = seq
	off, err := s.spill.Append(e)
	if s.n%offsetEvery == 0 {
		s.offs = append(s.offs, off)
	}
	s.n++
	if err == nil && s.feed != nil {
		err = s.feed(e)
	}
	return err
}

// offsetEvery is how sparse the spill's offsets are: the rules look up few records, each found
// from the offset before it by skipping at most offsetEvery-1 records, for 8 bytes per
// offsetEvery records kept in memory.
const offsetEvery = 32

// Close removes the spill and the index's spill file.
func (s *Sink) Close() error { return errors.Join(s.ix.Close(), s.spill.Close()) }

// lookup gives the rules what the index does not keep of record seq, from the spill.
func (s *Sink) lookup(seq int64) (Detail, error) {
	if seq < 1 || seq > s.n {
		return Detail{}, fmt.Errorf("run index: no record %d", seq)
	}
	off := s.offs[(seq-1)/offsetEvery]
	for k := (seq - 1) % offsetEvery; k > 0; k-- {
		var err error
		if off, err = s.spill.Skip(off); err != nil {
			return Detail{}, err
		}
	}
	e, err := s.spill.At(off)
	if err == nil && e.Seq != seq {
		err = fmt.Errorf("spill: record %d where %d was looked for", e.Seq, seq)
	}
	return Detail{UserObjectID: e.UserObjectID, Body: e.Body, Messages: e.Messages}, err
}

// Resolve applies the cross-row rules (Resolve) to the records added and returns their stream
// as amended, with the amendments: the records merged into another are left out, the changed
// ones have their new status and the messages added, and each has every row it was built from
// (Rows, from its Origin, and Further). Each call of the stream reads the spill from its start;
// the entry given to fn is fn's to keep. Add must not be called after Resolve.
func (s *Sink) Resolve() (each func(fn func(*record.Entry) error) error, am *Amendments, err error) {
	am, err = Resolve(s.ix, s.lookup)
	if err != nil {
		return nil, nil, err
	}
	merged := make([]int64, 0, len(am.Merged))
	for _, m := range am.Merged {
		merged = append(merged, m.Seq)
	}
	slices.Sort(merged)
	changes := am.Changes // sorted by seq
	slices.SortFunc(changes, func(a, b Change) int { return cmp.Compare(a.Seq, b.Seq) })
	each = func(fn func(*record.Entry) error) error {
		mi, ci := 0, 0
		return s.spill.Each(func(e *record.Entry) error {
			for mi < len(merged) && merged[mi] < e.Seq {
				mi++
			}
			if mi < len(merged) && merged[mi] == e.Seq {
				return nil
			}
			for ci < len(changes) && changes[ci].Seq < e.Seq {
				ci++
			}
			if ci < len(changes) && changes[ci].Seq == e.Seq {
				e.Status = changes[ci].Status
				e.Messages = append(e.Messages, changes[ci].Add...)
			}
			e.Rows = []string{e.Origin}
			for _, r := range s.ix.Rows(e.Seq) {
				e.Rows = append(e.Rows, r.Origin)
				e.Further = append(e.Further, record.Row{Source: r.Source, Line: r.Line, Path: r.Path, Origin: r.Origin})
			}
			return fn(e)
		})
	}
	return each, am, nil
}
