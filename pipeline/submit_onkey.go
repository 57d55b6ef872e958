package pipeline

import (
	"bytes"
	"context"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/submit"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// onKeySubmitter sends the pending records of an On Key job: group by group in ascending
// groupOrder, each group a pass of package submit (import batches of batch_size, concurrency
// requests in flight). A group is not started until every batch of the groups before it has an
// outcome, and the children of records that failed are skipped before it starts.
type onKeySubmitter struct {
	job      *spec.Job
	sender   *targets.Sender
	store    *Store
	progress func(sent, failed int)
	group    func(groupOrder int)
	target   *onkey.Target
	tally    *submit.Tally
	stop     <-chan struct{} // closed: send nothing more (see RunOptions.Stop)
	// storeThread is called first on each goroutine that does the run store's work
	// (RunOptions.StoreThread).
	storeThread func()
}

func (k *onKeySubmitter) run(ctx context.Context) error {
	groups, err := k.store.PendingGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := k.store.ResolveParents(ctx); err != nil {
			return err
		}
		if _, err := k.store.HoldDependents(ctx, g); err != nil {
			return err
		}
		k.group(g)
		if err := k.sendGroup(ctx, g); err != nil {
			return err
		}
		if err := k.settleGroup(ctx, g); err != nil {
			return err
		}
	}
	_, err = k.store.ResolveParents(ctx)
	return err
}

// sendGroup sends every pending record of group g and records the outcomes as they arrive.
func (k *onKeySubmitter) sendGroup(ctx context.Context, g int) error {
	return submit.Send(ctx, k.target, k.sender, onKeyGroup{sendWrites{k.store}, g},
		passOptions(k.job, k.sender, k.tally, k.stop, k.progress, k.storeThread))
}

// onKeyGroup is the pass of one group: its pending records not held back, in seq order.
type onKeyGroup struct {
	sendWrites
	group int
}

// Next streams the group's pending records from a read connection (Bodies flushes the store
// before its first row, so before the first mark: the two never touch the write connection at
// once).
func (o onKeyGroup) Next(ctx context.Context, yield func(record.Entry) error) error {
	return o.store.Bodies(ctx, runstore.Selection{Statuses: []record.Status{record.Pending}, Groups: []int{o.group}, NotHeld: true}, func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		return yield(r.Entry())
	})
}

// Ready is never called: an On Key pass is not ParentsFirst (groups are its order).
func (onKeyGroup) Ready(context.Context, record.Entry, record.Result) ([]record.Entry, error) {
	return nil, nil
}
