package sandbox

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Background task statuses. Completed is documented (seed 004); Queued, Running and Failed are
// assumed names.
const (
	TaskQueued    = "Queued"
	TaskRunning   = "Running"
	TaskCompleted = "Completed"
	TaskFailed    = "Failed"
)

// task is the background task of an async bulk request. Its fields are guarded by s.state.
type task struct {
	id                          int64
	version                     int64
	status                      string
	created, started, completed time.Time
	total, done, failed         int
	description                 string
	priority                    int
}

// firstTaskID resembles the ids of the documents' example (1584247614480001).
const firstTaskID = 1700000000000001

// startTask queues ops as a background task and runs it in its own goroutine. Each step takes
// faults.async_step_delay (the task is also queued that long before it runs):
//
//   - PerRecord: each step applies one record in its own transaction; completedSteps counts the
//     records that succeeded, failedSteps those that failed; the task ends Completed.
//   - AllOrNone: each step processes one record; the last step applies them all in one
//     transaction. When that fails nothing is applied: the task ends Failed with completedSteps
//     0 and failedSteps the number of failed records; otherwise Completed, all steps completed.
func (s *Server) startTask(ops []*op, opts bulkOptions) *task {
	s.state.Lock()
	defer s.state.Unlock()
	t := &task{id: s.nextTask, version: 1, status: TaskQueued, created: s.now(), total: len(ops),
		description: opts.description, priority: opts.priority}
	s.nextTask++
	s.tasks[t.id] = t
	if !s.closed { // once closed, Close may be waiting: no task may start (it stays Queued)
		s.wg.Add(1)
		go s.runTask(t, ops, opts)
	}
	return t
}

func (s *Server) runTask(t *task, ops []*op, opts bulkOptions) {
	defer s.wg.Done()
	delay := s.cfg.Faults.AsyncStepDelay
	if s.stepWait(s.ctx, delay) != nil {
		return // the server is closing
	}
	s.updateTask(t, func() { t.status, t.started = TaskRunning, s.now() })
	order := processingOrder(ops, opts.ordered)
	for n, i := range order {
		if s.stepWait(s.ctx, delay) != nil {
			return
		}
		switch {
		case opts.perRecord:
			res := s.applyOne(ops[i])
			s.updateTask(t, func() {
				if res.failed() {
					t.failed++
				} else {
					t.done++
				}
			})
		case n < len(order)-1:
			s.updateTask(t, func() { t.done++ })
		default:
			_, failed := s.applyAll(ops, order)
			s.updateTask(t, func() {
				if failed > 0 {
					t.status, t.done, t.failed = TaskFailed, 0, failed
				} else {
					t.done = t.total
				}
			})
		}
	}
	s.updateTask(t, func() {
		if t.status == TaskRunning {
			t.status = TaskCompleted
		}
		t.completed = s.now()
	})
}

func (s *Server) updateTask(t *task, f func()) {
	s.state.Lock()
	defer s.state.Unlock()
	f()
	t.version++
}

// stepWait waits d (or what a test's hook decides), or until ctx ends.
func (s *Server) stepWait(ctx context.Context, d time.Duration) error {
	if s.sleep != nil {
		return s.sleep(ctx, d)
	}
	return sleepCtx(ctx, d)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// taskLocation is the OnKey-Request-Location of a task: relative to the server root, as the
// documents' example writes it (api/tenants/{client}/{connection}/...).
func (s *Server) taskLocation(id int64) string {
	return "api/tenants/" + s.cfg.Tenant + "/" + s.cfg.Connection + "/Modules/System/BackgroundTasks/" + strconv.FormatInt(id, 10)
}

// handleTask serves GET .../Modules/System/BackgroundTasks/{id} (and .../BackgroundTasks/{id}).
func (s *Server) handleTask(w http.ResponseWriter, r *http.Request, idText string) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	id, _ := strconv.ParseInt(idText, 10, 64)
	s.state.Lock()
	t := s.tasks[id]
	var body map[string]any
	if t != nil {
		body = map[string]any{"class": "BackgroundTask", "id": t.id, "version": t.version, "properties": map[string]any{
			"name": "System.Import", "description": t.description, "priority": t.priority, "origin": "User",
			"status": t.status, "createdOn": timeOrNil(t.created), "startedOn": timeOrNil(t.started),
			"completedOn": timeOrNil(t.completed), "totalSteps": t.total, "completedSteps": t.done, "failedSteps": t.failed,
		}}
	}
	s.state.Unlock()
	if t == nil {
		writeNotification(w, http.StatusNotFound, errMsg(CodeNotFound, "No background task has id "+idText+"."))
		return
	}
	writeJSON(w, http.StatusOK, contentJSON, body)
}

// timeOrNil formats t as the documents do (2020-03-15T04:46:54.5011350Z), or nil when unset.
func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}
