package onkey

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// Target is the On Key API of one job: it builds each import request, reads the answers into
// one result per record on positive evidence only, follows background tasks, looks records up
// with exists checks and says which records may be sent again. Its methods are safe for
// concurrent use.
type Target struct {
	Spec   spec.Target
	Submit spec.Submit
	// Sender makes the calls the target makes itself: task polls and exists checks.
	Sender *targets.Sender
	// Task, if not nil, is told the progress of a background task each time it is polled:
	// steps done (completed or failed) of total. It is called for one task at a time.
	Task   func(id string, steps, total int)
	taskMu sync.Mutex
}

// Call is the import request of batch (Import).
func (t *Target) Call(batch []record.Entry) targets.Call { return Import(t.Spec, t.Submit, batch) }

// Read reads ans, the answer to batch's import request, into a result per record, in batch's
// order. An accepted async import is followed until its background task ends. When the answer
// came only after a retry, the Deletes it says failed are looked up: an earlier attempt may have
// deleted them with its answer lost, and those On Key no longer has succeeded.
func (t *Target) Read(ctx context.Context, ans *targets.Answer, batch []record.Entry) []record.Result {
	base := record.Outcome{HTTPStatus: ans.Status, Attempts: ans.Attempts, DurationMS: ans.Duration.Milliseconds()}
	if t.Submit.Async && ans.Status == http.StatusAccepted {
		res := t.awaitTask(ctx, ans, base)
		outs := make([]record.Result, len(batch))
		for i, e := range batch {
			outs[i] = res
			outs[i].Seq = e.Seq
		}
		return outs
	}
	uoids := make([]string, len(batch))
	for i, e := range batch {
		uoids[i] = e.UserObjectID
	}
	results := ReadImportAnswer(ans.Status, ans.Body, uoids, t.allOrNone())
	outs := make([]record.Result, len(batch))
	for i, e := range batch {
		res := results[e.UserObjectID]
		o := record.Result{Seq: e.Seq, Outcome: base}
		o.ServerID, o.Version = res.ID, res.Version
		switch res.Outcome {
		case Succeeded:
			o.Status = record.Succeeded
		case Failed:
			o.Status = record.Failed
		default:
			o.Status = record.Unknown
		}
		for _, n := range res.Messages {
			o.Messages = append(o.Messages, record.Message{Code: n.Code, Property: strings.Join(n.Properties, ", "), Text: n.Message, Severity: n.Severity})
		}
		outs[i] = o
	}
	if ans.Attempts > 1 {
		t.settleRetriedDeletes(ctx, batch, outs, ans.Attempts)
	}
	return outs
}

// Repeatable reports whether e may be sent again as it is when its outcome is unknown: an
// Update or a Merge may; a Create could create a second record and a Delete fails for want of
// the record it deleted, so those are looked up first (LookUp).
func (t *Target) Repeatable(e record.Entry) bool { return !IsCreate(e.Action) && !IsDelete(e.Action) }

func (t *Target) allOrNone() bool { return strings.EqualFold(t.Submit.Mode, "AllOrNone") }

// settleRetriedDeletes turns the failed Deletes of outs, which On Key no longer has, into
// successes (see Read). If the lookup fails, they stay failed with the server's message.
func (t *Target) settleRetriedDeletes(ctx context.Context, batch []record.Entry, outs []record.Result, attempts int) {
	var failed []record.Entry
	at := map[string]int{}
	for i, e := range batch {
		if outs[i].Status == record.Failed && IsDelete(e.Action) {
			failed = append(failed, e)
			at[e.UserObjectID] = i
		}
	}
	if len(failed) == 0 {
		return
	}
	found, err := t.LookUp(ctx, failed)
	if err != nil {
		return
	}
	for uoid, l := range found {
		if l.Gone() {
			o := &outs[at[uoid]]
			o.Status, o.Messages = record.Succeeded, []record.Message{l.Deleted(fmt.Sprintf("its request was sent %d times and the last attempt failed", attempts))}
		}
	}
}
