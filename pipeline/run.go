package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/submit"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// RunOptions tunes a run that sends: Options plus how to reach the target.
type RunOptions struct {
	Options
	// HTTP is the client for the target (default: a client with sane transport timeouts).
	HTTP *http.Client
	// Getenv reads the secrets the spec names (default os.Getenv).
	Getenv func(string) string
	// Sending, if not nil, is told how many records are to be sent, once, before the first is.
	Sending func(records int)
	// Group, if not nil, is told the groupOrder of each On Key group as its sending starts.
	Group func(groupOrder int)
	// Task, if not nil, is told the progress of the background task of an async On Key import
	// each time it is polled: steps done (completed or failed) of total. Several tasks may run;
	// Task is called for one at a time.
	Task func(id string, steps, total int)
	// Sent, if not nil, is told about every record that got an outcome. It is called from one
	// goroutine.
	Sent func(records int)
	// Concurrency, if not nil, is told the limit of requests in flight each time submit.adaptive
	// changes it. It must be quick: sending waits for it.
	Concurrency func(limit int)
	// Failed, if not nil, is told, just after Sent, how many of those records failed. It is
	// called from Sent's goroutine.
	Failed func(records int)
	// Insecure turns off the verification of the target's TLS certificate (and of its token
	// endpoint's), for test servers with self-signed certificates (ignored when HTTP is set), and
	// allows http:// URLs to hosts that are not loopback, which Run and Resume otherwise refuse.
	Insecure bool
	// Stop, once closed, stops the run gently: no request leaves after it, the requests in flight
	// finish (cancel the context to cut them short) and their outcomes are recorded, the reports
	// are written, and the run returns Interrupted with the records not sent pending.
	Stop <-chan struct{}
	// WhileSending, if not nil, is called as sending starts, and the function it returns once
	// sending has ended, before the reports are written (on every return). It is for what the
	// process needs only while requests are in flight: cmd/bulkload gives the runtime more Ps
	// there (GOMAXPROCS). Runs in one process may send at once: it must allow overlapping calls.
	WhileSending func() (end func())
	// StoreThread, if not nil, is called first thing on each goroutine that does the run
	// store's work while records are sent (reading the records to send, recording outcomes),
	// and on no other goroutine; such a goroutine ends when sending does, so what StoreThread
	// does to its thread ends with it. cmd/bulkload lowers the thread's OS priority there. It
	// must return promptly.
	StoreThread func()
}

// Run checks that the target answers and takes the credentials (preflight: an *AbortError, before
// any row is read), evaluates every row as DryRun does, then sends the valid records to the target and records
// each outcome in the run store as it arrives, and writes the reports (payloads/ is a dry run's
// only). Nothing is sent when a source could not be read to its end (*ReadError). An
// *AbortError (credentials refused, target unreachable, too many failures) comes with the
// Outcome: the records not sent are pending. The store keeps what Resume needs to finish a run
// that was stopped or killed. The run holds its directory's lock (Options.Lock) until it returns.
func Run(ctx context.Context, job *spec.Job, opts RunOptions) (*Outcome, error) {
	if err := job.CheckRunnable(); err != nil {
		return nil, &SetupError{Err: err}
	}
	opts = opts.withDefaults()
	release, err := opts.holdRunDir(job)
	if err != nil {
		return nil, err
	}
	defer release()
	return run(ctx, job, opts)
}

// run is Run in the run directory opts.RunDir, whose lock opts.Lock holds.
func run(ctx context.Context, job *spec.Job, opts RunOptions) (*Outcome, error) {
	sender, err := newSender(job, opts)
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	if err := preflight(ctx, job, sender); err != nil {
		return nil, err
	}
	fp, err := rundir.TakeFingerprint(job) // before reading: the files as they were read
	if err != nil {
		return nil, &SetupError{Err: err}
	}
	evalCtx, stopWatching := untilStop(ctx, opts.Stop)
	ev, err := evaluateJob(evalCtx, job, opts.Options, "run", true)
	stopWatching()
	if err != nil {
		return nil, err
	}
	defer ev.store.Close()
	if ev.readErr != nil {
		return ev.finish(ctx, opts.Options, nil)
	}
	if err := ev.saveForResume(ctx, fp); err != nil {
		return nil, err
	}
	if err := ev.store.SetMeta(ctx, runstore.MetaPhase, runstore.PhaseSending); err != nil {
		return nil, err
	}
	if err := ev.store.BeginSending(ctx); err != nil {
		return nil, err
	}
	opts.Sending(ev.pending)
	return ev.send(ctx, sender, opts)
}

// untilStop is ctx, also cancelled when stop is closed: reading is cut short by a stop at once,
// having sent nothing yet.
// Call release when done with it.
func untilStop(ctx context.Context, stop <-chan struct{}) (_ context.Context, release func()) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// withDefaults fills in the callbacks left nil but Sent and Failed, which sent calls when set.
func (opts RunOptions) withDefaults() RunOptions {
	opts.Options = opts.Options.withDefaults()
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Sending == nil {
		opts.Sending = func(int) {}
	}
	if opts.Group == nil {
		opts.Group = func(int) {}
	}
	if opts.Task == nil {
		opts.Task = func(string, int, int) {}
	}
	if opts.Concurrency == nil {
		opts.Concurrency = func(int) {}
	}
	if opts.WhileSending == nil {
		opts.WhileSending = func() func() { return func() {} }
	}
	if opts.StoreThread == nil {
		opts.StoreThread = func() {}
	}
	return opts
}

// send sends the pending records of an evaluated job and writes the reports.
func (ev *evaluated) send(ctx context.Context, sender *targets.Sender, opts RunOptions) (*Outcome, error) {
	job := ev.job
	var stopped error
	if opts.Lock != nil {
		if err := opts.Lock.Check(); err != nil { // lost while reading or reconciling
			return nil, err
		}
	}
	watch := rundir.Watching(opts.Lock, opts.Stop)
	defer watch.Unwatch()
	opts.Stop = watch.Stop()
	restoreProcs := sync.OnceFunc(opts.WhileSending())
	defer restoreProcs() // on the early returns
	sender, adaptive := submit.Adapt(sender, job.Submit.Concurrency, job.Submit.Adaptive, opts.Concurrency)
	pass := submit.Options{BatchSize: job.Submit.BatchSize, Concurrency: job.Submit.Concurrency,
		Tally: submit.NewTally(job.Submit.MaxErrors, job.Submit.Breaker), Stop: opts.Stop,
		Hold: func() { submit.Hold(sender) }, Progress: opts.sent, Background: opts.StoreThread}
	switch job.Target.Kind {
	case spec.OnKey:
		t := &onkey.Target{Spec: job.Target, Submit: job.Submit, Sender: sender, Task: opts.Task}
		stopped = ev.sendGroups(ctx, t, sender, pass, opts.Group)
	case spec.OnixWork:
		remap, err := ev.remap()
		if err != nil {
			return nil, err
		}
		pass.ParentsFirst = true
		roots := runstore.RootsFirstPass{Store: ev.store, Remap: remap}
		if stopped = submit.Send(ctx, onixwork.Target{URL: job.Target.URL}, sender, roots, pass); stopped == nil || errors.As(stopped, new(*AbortError)) {
			if _, err := ev.store.ResolveParents(ctx); err != nil {
				return nil, err
			}
		}
	default:
		return nil, &SetupError{Err: fmt.Errorf("target kind %q: sending is not supported", job.Target.Kind)}
	}
	restoreProcs()
	ev.conc = submit.Account(job.Submit.Concurrency, adaptive)
	watch.Unwatch()
	if err := watch.Err(); err != nil {
		return nil, err
	}
	var abort *AbortError
	if stopped != nil && !errors.As(stopped, &abort) && ctx.Err() == nil {
		return nil, stopped // the run store failed
	}
	// Reports are written even after an interrupt: ctx is done, so they use a fresh one.
	return ev.finish(context.WithoutCancel(ctx), opts.Options, stopped)
}

// newSender is the Sender of the job's target (targets.NewSender), password auth taking its token
// from Onix Work's endpoint when the spec names none.
func newSender(job *spec.Job, opts RunOptions) (*targets.Sender, error) {
	return targets.NewSender(job.Target, job.Submit, targets.SenderOptions{HTTP: opts.HTTP, Getenv: opts.Getenv,
		Insecure: opts.Insecure, TokenURL: onixwork.TokenURL})
}

// sent tells Sent and Failed, those set, of records that got an outcome.
func (opts RunOptions) sent(records, failed int) {
	if opts.Sent != nil {
		opts.Sent(records)
	}
	if failed > 0 && opts.Failed != nil {
		opts.Failed(failed)
	}
}
