package pipeline

import (
	"bytes"
	"context"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/submit"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
)

// onixSubmitter sends the pending records of an Onix Work job in one ParentsFirst pass of
// package submit, one call per record: the records without a parent (orders) are sent as they
// are read, and a record's children (its lines, a line's items and properties) as soon as that
// record succeeded, not after every record of its level. The children of a record that failed
// are never sent; the run's ResolveParents then marks them skipped.
type onixSubmitter struct {
	job      *spec.Job
	sender   *targets.Sender
	store    *Store
	progress func(sent, failed int)
	target   onixwork.Target
	tally    *submit.Tally
	stop     <-chan struct{} // closed: send nothing more (see RunOptions.Stop)
	// storeThread is called first on each goroutine that does the run store's work
	// (RunOptions.StoreThread).
	storeThread func()
	// remapper maps a record again once its parent's result is known, from the typed row the
	// evaluation kept in rows (by rowKey; nil for a resumed run) or the store's.
	remapper *evaluate.Remapper
	rows     map[string]*evaluate.Row
}

func (o *onixSubmitter) run(ctx context.Context) error {
	opts := passOptions(o.job, o.sender, o.tally, o.stop, o.progress, o.storeThread)
	opts.ParentsFirst = true
	return submit.Send(ctx, o.target, o.sender, onixPass{sendWrites{o.store}, o}, opts)
}

// onixPass is the records of an Onix Work run, roots first, each child once its parent succeeded.
type onixPass struct {
	sendWrites
	run *onixSubmitter
}

// Next streams the roots from a read connection: committed since MarkPending, unchanged by the
// outcomes written meanwhile. Roots are the records without a parent and, when a run is resumed,
// those whose parent succeeded before (mapped again with its result).
func (o onixPass) Next(ctx context.Context, yield func(record.Entry) error) error {
	return o.store.CommittedBodies(ctx, runstore.Selection{Statuses: []record.Status{record.Pending}, ParentSucceeded: true}, func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		if r.Parent != "" && r.Env != nil {
			parent, err := o.store.SucceededOutcome(ctx, r.Parent)
			if err != nil {
				return err
			}
			return yield(o.mapped(r, r.Parent, parent))
		}
		return yield(r.Entry())
	})
}

// Ready gives the pending children of parent, which has just succeeded with res, each mapped
// again with it when its mapping reads its parent's result (parent.id); a child whose mapping
// then fails is Failed with the mapping's messages.
func (o onixPass) Ready(ctx context.Context, parent record.Entry, res record.Result) ([]record.Entry, error) {
	out := outcomesOf([]record.Result{res})[0]
	var children []record.Entry
	err := o.store.CommittedBodies(ctx, runstore.Selection{Statuses: []record.Status{record.Pending}, Parent: parent.UserObjectID}, func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		if r.Env != nil {
			children = append(children, o.mapped(r, parent.UserObjectID, out))
			return nil
		}
		children = append(children, r.Entry())
		return nil
	})
	return children, err
}

// mapped is r mapped again with its parent's result, or Failed with the messages of a mapping
// that failed.
func (o onixPass) mapped(r Sendable, parentUOID string, parent RecordOutcome) record.Entry {
	body, msgs := o.run.remap(r, parentUOID, parent)
	e := r.Entry()
	if msgs != nil {
		e.Status, e.Messages = record.Failed, msgs
		return e
	}
	e.Body = body
	return e
}

// remap maps record r again with its parent's result as parent (userObjectId, id, version),
// from the typed row the evaluation kept (o.rows) or, for a run resumed in another process, the
// row its store kept, and returns the new body, or the messages of a mapping that failed.
func (o *onixSubmitter) remap(r Sendable, parentUOID string, parent RecordOutcome) ([]byte, []Message) {
	row := o.rows[rowKey(r.Entity, r.UserObjectID)]
	if row == nil {
		var err error
		if row, err = evaluate.DecodeRow(r.Env); err != nil {
			return nil, []Message{{Code: "mapping", Text: "the stored row cannot be read: " + err.Error()}}
		}
	}
	return o.remapper.Remap(r.Entity, row, evaluate.Parent{UserObjectID: parentUOID, ServerID: parent.ServerID, Version: parent.Version})
}
