package pipeline

import (
	"context"
	"errors"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
)

// resendPasses is how many times a group's records found absent when settled are sent again
// within a run; those still absent after that stay pending, for --resume.
const resendPasses = 1

// settleGroup settles the records group g left unknown, before a later group may need them:
// exists checks find what the target applied (reconcileUnknown), and the records found absent,
// and those that can be repeated, are sent again, resendPasses times at most. A failed
// exists-check request leaves the records unknown for --resume to settle, as does a stop
// (RunOptions.Stop: no request leaves after it); only the store's failure, or a stop while
// resending, is an error.
func (k *onKeySubmitter) settleGroup(ctx context.Context, g int) error {
	checkCtx, release := untilStop(ctx, k.stop)
	defer release()
	for pass := 0; ; pass++ {
		if checkCtx.Err() != nil {
			return nil
		}
		if _, err := reconcileUnknown(checkCtx, k.job, k.store, k.sender, pass < resendPasses, runstore.Selection{Groups: []int{g}}); err != nil {
			if errors.As(err, new(*AbortError)) || checkCtx.Err() != nil && ctx.Err() == nil {
				return nil
			}
			return err
		}
		if pass == resendPasses {
			return nil
		}
		pending, err := k.store.CountStatus(ctx, record.Pending)
		if err != nil || pending == 0 {
			return err
		}
		if err := k.sendGroup(ctx, g); err != nil {
			return err
		}
	}
}
