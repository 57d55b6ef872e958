package onkey

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets"
)

// awaitTask polls the background task of an accepted async import, with backoff, until it ends,
// and returns the result of its records. The documents give no per-record results for async
// imports: a task that completed every step succeeded them all; an AllOrNone task that failed
// applied none; otherwise which records failed is unknown.
func (t *Target) awaitTask(ctx context.Context, accepted *targets.Answer, base record.Outcome) record.Result {
	unknown := func(text string) record.Result {
		return record.Result{Status: record.Unknown, Messages: []record.Message{{Code: "unknown", Text: text}}, Outcome: base}
	}
	taskURL, err := TaskURL(t.Spec.URL, accepted.Header.Get("OnKey-Request-Location"))
	if err != nil {
		return unknown("the import was accepted for a background task, but " + err.Error())
	}
	start, wait := time.Now(), 200*time.Millisecond
	for {
		tm := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			tm.Stop()
			return unknown("interrupted while the background task at " + taskURL + " was running")
		case <-tm.C:
		}
		wait = min(wait*3/2, 5*time.Second)
		ans, err := t.Sender.Send(ctx, targets.Call{Method: "GET", URL: taskURL, Idempotent: true})
		if err != nil {
			return unknown("polling the background task at " + taskURL + ": " + err.Error())
		}
		if ans.Status != http.StatusOK {
			return unknown(fmt.Sprintf("polling the background task at %s: HTTP %d: %s", taskURL, ans.Status, targets.Snippet(ans.Body)))
		}
		task, err := ReadTask(ans.Body)
		if err != nil {
			return unknown("polling the background task at " + taskURL + ": " + err.Error())
		}
		if t.Task != nil {
			t.taskMu.Lock()
			t.Task(task.ID, task.CompletedSteps+task.FailedSteps, task.TotalSteps)
			t.taskMu.Unlock()
		}
		if !task.Done() {
			continue
		}
		o := record.Result{Outcome: base}
		o.DurationMS = (accepted.Duration + time.Since(start)).Milliseconds()
		summary := fmt.Sprintf("background task %s ended %s: %d of %d steps completed, %d failed", task.ID, task.Status,
			task.CompletedSteps, task.TotalSteps, task.FailedSteps)
		switch {
		case task.OK():
			o.Status = record.Succeeded
		case t.allOrNone():
			o.Status, o.Messages = record.Failed, []record.Message{{Code: "RolledBack", Text: summary + "; mode=AllOrNone applies none"}}
		default:
			return unknown(summary + "; an async import does not say which records failed")
		}
		return o
	}
}
