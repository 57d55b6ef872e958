package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/submit"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onkey"
)

// AbortError stops a run before its end: the records not sent stay pending.
type AbortError = submit.AbortError

// Interrupted is why a run stopped when RunOptions.Stop was closed.
var Interrupted = submit.Interrupted

// resendPasses is how many times a group's records found absent when settled are sent again
// within a run; those still absent after that stay pending, for --resume.
const resendPasses = 1

// sendGroups sends the pending records of an On Key job group by group in ascending
// groupOrder, each group a pass of package submit (runstore.GroupPass) shaped by pass. A group
// starts once every batch of the groups before it has an outcome and their unknown records are
// settled (settleGroup), with the children of records that failed skipped (ResolveParents, after
// each group: before the first, the store is as the rules or Resume's ResolveParents left it) and
// the records whose converter dependencies are missing held back (HoldDependents); group is
// told its groupOrder then.
func (ev *evaluated) sendGroups(ctx context.Context, t *onkey.Target, sender *targets.Sender, pass submit.Options, group func(int)) error {
	groups, err := ev.store.PendingGroups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := ev.store.HoldDependents(ctx, g); err != nil {
			return err
		}
		group(g)
		send := func() error { return submit.Send(ctx, t, sender, runstore.GroupPass{Store: ev.store, Group: g}, pass) }
		if err := send(); err != nil {
			return err
		}
		if err := ev.settleGroup(ctx, g, sender, pass.Stop, send); err != nil {
			return err
		}
		if _, err := ev.store.ResolveParents(ctx); err != nil {
			return err
		}
	}
	return nil
}

// settleGroup settles the records group g left unknown, before a later group may need them:
// exists checks find what the target applied (reconcileUnknown), and the records found absent,
// and those that can be repeated, are sent again with resend, resendPasses times at most. A
// failed exists-check request leaves the records unknown for --resume to settle, as does a stop
// (no request leaves after it); only the store's failure, or a stop while resending, is an
// error.
func (ev *evaluated) settleGroup(ctx context.Context, g int, sender *targets.Sender, stop <-chan struct{}, resend func() error) error {
	checkCtx, release := untilStop(ctx, stop)
	defer release()
	for pass := 0; ; pass++ {
		if checkCtx.Err() != nil {
			return nil
		}
		if _, err := reconcileUnknown(checkCtx, ev.job, ev.store, sender, pass < resendPasses, runstore.Selection{Groups: []int{g}}); err != nil {
			if errors.As(err, new(*AbortError)) || checkCtx.Err() != nil && ctx.Err() == nil {
				return nil
			}
			return err
		}
		if pass == resendPasses {
			return nil
		}
		pending, err := ev.store.CountStatus(ctx, record.Pending)
		if err != nil || pending == 0 {
			return err
		}
		if err := resend(); err != nil {
			return err
		}
	}
}

// remap is how an Onix Work run maps a child again with its parent's result: from the typed row
// the evaluation kept (ev.rows) or, for records evaluated by another process (a resumed run),
// from the row the store kept, with mappings compiled for this process.
func (ev *evaluated) remap() (runstore.Remap, error) {
	remapper := ev.remapper
	if remapper == nil {
		var err error
		if remapper, err = evaluate.NewRemapper(ev.job); err != nil {
			return nil, err
		}
	}
	return remapper.Parented(ev.rows), nil
}
