package runstore

import (
	"bytes"
	"context"

	"github.com/bulkload/bulkload/record"
)

// The passes of a run: the store as package submit's scheduler reads and writes it (its Store
// interface: Next, Ready, MarkSending, SetOutcomes). Next and Ready read committed data on a
// read connection, so they may run while the pass's writer marks and records outcomes; the
// entries they give own their bodies. MarkSending and SetOutcomes are the Store's own.

// GroupPass is the pass of one On Key group: its pending records that no dependency holds back
// (HoldDependents), in seq order, sent in batches. Its records have no parents to wait for
// within the pass (earlier groups are their parents), so Ready gives nothing.
type GroupPass struct {
	*Store
	Group int
}

// Next streams the group's pending records not held back. It flushes the store before its
// first row, so before the pass's first mark: the two never use the write connection at once.
func (p GroupPass) Next(ctx context.Context, yield func(record.Entry) error) error {
	sel := Selection{Statuses: []record.Status{record.Pending}, Groups: []int{p.Group}, NotHeld: true}
	return p.Bodies(ctx, sel, func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		return yield(r.Entry())
	})
}

// Ready gives nothing: a group's records are sent in Next's order.
func (GroupPass) Ready(context.Context, []record.Entry, []record.Result) ([]record.Entry, error) {
	return nil, nil
}

// Remap maps child again with its parent's result (the parent's userObjectId, server id and
// version) and returns it with its new body, or with Status record.Failed and the mapping's
// messages when that mapping fails. child.Env holds the typed row the store kept for it, valid
// only during the call. It is called from the goroutine of Next or Ready.
type Remap func(child record.Entry, parentUOID string, parent record.Outcome) record.Entry

// RootsFirstPass is the pass of an Onix Work run, one call per record: the roots first, each
// record's children once it succeeded. Roots are the pending records without a parent and, in
// a resumed run, those whose parent succeeded before. A record the store holds a typed row for
// (its mapping reads its parent's result) is given as Remap returns it.
type RootsFirstPass struct {
	*Store
	Remap Remap
}

// Next streams the roots, committed before it began, unchanged by the outcomes written
// meanwhile: a root whose parent succeeded in an earlier process is mapped again with the
// outcome stored for that parent.
func (p RootsFirstPass) Next(ctx context.Context, yield func(record.Entry) error) error {
	sel := Selection{Statuses: []record.Status{record.Pending}, ParentSucceeded: true}
	return p.CommittedBodies(ctx, sel, func(r Sendable) error {
		if r.Parent == "" || r.Env == nil {
			r.Body = bytes.Clone(r.Body)
			return yield(r.Entry())
		}
		parent, err := p.SucceededOutcome(ctx, r.Parent)
		if err != nil {
			return err
		}
		return yield(p.remapped(r, r.Parent, parent.Outcome))
	})
}

// Ready gives the pending children of parents, which have just succeeded, results[i] being
// parents[i]'s, in one read, in seq order: each one with a typed row mapped again with its
// parent's result.
func (p RootsFirstPass) Ready(ctx context.Context, parents []record.Entry, results []record.Result) ([]record.Entry, error) {
	if len(parents) == 0 {
		return nil, nil
	}
	outcome := make(map[string]record.Outcome, len(parents))
	sel := Selection{Statuses: []record.Status{record.Pending}, Parents: make([]string, len(parents))}
	for i, e := range parents {
		sel.Parents[i], outcome[e.UserObjectID] = e.UserObjectID, results[i].Outcome
	}
	var children []record.Entry
	err := p.CommittedBodies(ctx, sel, func(r Sendable) error {
		if r.Env == nil {
			r.Body = bytes.Clone(r.Body)
			children = append(children, r.Entry())
			return nil
		}
		children = append(children, p.remapped(r, r.Parent, outcome[r.Parent]))
		return nil
	})
	return children, err
}

// remapped is r as Remap maps it again with its parent's outcome; the entry keeps neither r's
// stored row nor, unless Remap kept it, r's stored body.
func (p RootsFirstPass) remapped(r Sendable, parentUOID string, parent record.Outcome) record.Entry {
	e := r.Entry()
	e.Body = bytes.Clone(r.Body)
	e.Env = r.Env
	e = p.Remap(e, parentUOID, parent)
	e.Env = nil
	return e
}
