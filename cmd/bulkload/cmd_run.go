package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/bulkload/bulkload/cmd/bulkload/tuning"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// runOptions are the flags of `bulkload run`: those of validate, and overrides of the spec's
// target and submit sections.
type runOptions struct {
	validateOptions
	target      string
	concurrency int
	batchSize   int
	mode        string
	maxErrors   int
	noBreaker   bool
	sandbox     bool
	sandboxCfg  string
	resume      string
	retryFailed bool
	force       bool
	insecure    bool
}

func runCommandFlags(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	var o runOptions
	o.register(fs)
	fs.StringVar(&o.target, "target", "", "base URL of the target, instead of the spec's target.url")
	fs.IntVar(&o.concurrency, "concurrency", 0, "requests in flight, instead of submit.concurrency")
	fs.IntVar(&o.batchSize, "batch-size", 0, "records per On Key import request, instead of submit.batch_size")
	fs.StringVar(&o.mode, "mode", "", "On Key import mode, PerRecord or AllOrNone, instead of submit.mode")
	fs.IntVar(&o.maxErrors, "max-errors", -1, "abort (exit 3) once this many records failed, instead of submit.max_errors (0: no limit)")
	fs.BoolVar(&o.noBreaker, "no-breaker", false, "send every record even when the first requests all fail the same way, instead of submit.breaker (which stops the run, exit 3)")
	fs.BoolVar(&o.sandbox, "sandbox", false, "send to a built-in sandbox (On Key or Onix Work, as the job's target) started for this run, not to the spec's target (no credentials needed)")
	fs.StringVar(&o.sandboxCfg, "sandbox-config", "", "with --sandbox: the sandbox's config (data model, faults); see sandbox/README.md")
	fs.StringVar(&o.resume, "resume", "", "finish the run in this run directory (stopped, interrupted or killed): succeeded records are not sent again, unanswered ones are checked with the target first; the spec is the one the run started with")
	fs.BoolVar(&o.insecure, "insecure", false, "do not verify the target's TLS certificate (test servers with self-signed certificates only), and allow http:// to a host that is not this machine (credentials and records then cross the network in clear text)")
	fs.BoolVar(&o.force, "force", false, "with --resume: go on though the spec or its files changed, evaluating every row again (succeeded records are not sent again; failed ones whose row changed are)")
	fs.BoolVar(&o.retryFailed, "retry-failed", false, "with --resume: send the records that failed again too")
	return func(ctx context.Context, args []string, io streams) int {
		if o.resume != "" {
			return resumeJob(ctx, args, o, io)
		}
		if len(args) != 1 || o.retryFailed || o.force {
			fs.Usage()
			return exitUsage
		}
		return runJob(ctx, args[0], o, io)
	}
}

// apply puts the flags' overrides into the job; it returns a usage problem, if any.
func (o runOptions) apply(job *spec.Job) error {
	if o.target != "" {
		job.Target.URL = o.target
	}
	if o.concurrency < 0 || o.batchSize < 0 {
		return errors.New("--concurrency and --batch-size must be positive")
	}
	if o.concurrency > 0 {
		job.Submit.Concurrency = o.concurrency
	}
	if o.batchSize > 0 {
		job.Submit.BatchSize = o.batchSize
	}
	switch strings.ToLower(o.mode) {
	case "":
	case "perrecord":
		job.Submit.Mode = "PerRecord"
	case "allornone":
		job.Submit.Mode = "AllOrNone"
	default:
		return fmt.Errorf("--mode %q: want PerRecord or AllOrNone", o.mode)
	}
	if o.maxErrors >= 0 {
		job.Submit.MaxErrors = o.maxErrors
	}
	if o.noBreaker {
		job.Submit.Breaker = false
	}
	return nil
}

func runJob(ctx context.Context, path string, o runOptions, io streams) int {
	job, ok := loadJobWith(path, o.sources, io)
	if !ok {
		return exitUsage
	}
	if err := job.CheckRunnable(); err != nil {
		return runError(ctx, &pipeline.SetupError{Err: err}, io)
	}
	if err := o.apply(job); err != nil {
		return usageError(io, err.Error())
	}
	getenv := os.Getenv
	if o.sandbox {
		sb, env, err := startSandbox(job, o.sandboxCfg)
		if err != nil {
			return usageError(io, "--sandbox: "+err.Error())
		}
		defer sb.Close()
		getenv = env
		if !o.quiet {
			fmt.Fprintf(io.err, "bulkload: sending to a built-in sandbox at %s, not to a real target\n", job.Target.URL)
		}
	} else if o.sandboxCfg != "" {
		return usageError(io, "--sandbox-config needs --sandbox")
	}
	return send(ctx, job, o, getenv, io, func(ctx context.Context, ro pipeline.RunOptions) (*pipeline.Outcome, error) {
		return pipeline.Run(ctx, job, ro)
	})
}

// resumeJob finishes the run in o.resume, with the spec it was started with.
func resumeJob(ctx context.Context, args []string, o runOptions, io streams) int {
	if len(args) > 0 || o.sandbox || o.out != "" || len(o.sources) > 0 {
		return usageError(io, "--resume RUNDIR: give no spec, --out, --source or --sandbox (the run's own spec, files and directory are used; to rehearse a resume, start `bulkload sandbox` and pass --target)")
	}
	lock, code, ok := lockRun(o.resume, io)
	if !ok {
		return code
	}
	defer lock.Release()
	job, code, ok := loadRunJob(ctx, o.resume, io)
	if !ok {
		return code
	}
	if err := job.CheckRunnable(); err != nil {
		return runError(ctx, &pipeline.SetupError{Err: err}, io)
	}
	sentTo := job.Target.URL
	if err := o.apply(job); err != nil {
		return usageError(io, err.Error())
	}
	if !o.quiet {
		fmt.Fprintf(io.err, "bulkload: resuming the run in %s (spec %s)\n", o.resume, job.File)
	}
	if job.Target.URL != sentTo {
		fmt.Fprintf(io.err, "bulkload: the run sent to %s; --target sends the rest to %s\n", sentTo, job.Target.URL)
	}
	return send(ctx, job, o, os.Getenv, io, func(ctx context.Context, ro pipeline.RunOptions) (*pipeline.Outcome, error) {
		ro.Lock = lock
		return pipeline.Resume(ctx, job, o.resume, pipeline.ResumeOptions{RunOptions: ro, RetryFailed: o.retryFailed, Force: o.force})
	})
}

// send runs start (a run or a resumed one) with progress bars and turns its outcome into the
// summary and exit code.
func send(ctx context.Context, job *spec.Job, o runOptions, getenv func(string) string, io streams,
	start func(context.Context, pipeline.RunOptions) (*pipeline.Outcome, error)) int {
	mode, err := o.progressMode()
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: %v\n", err)
		return exitUsage
	}
	if o.insecure {
		fmt.Fprintf(io.err, "bulkload: --insecure: the target's TLS certificate is not verified and plain http:// is allowed; anyone between here and %s can read the records and the credentials\n", job.Target.URL)
	}
	soft := ctx
	ctx, stop := gentle(ctx)
	dir := o.out
	if o.resume != "" {
		dir = o.resume
	} else if dir == "" {
		var err error
		if dir, err = rundir.New(job, time.Now()); err != nil {
			return runError(soft, &pipeline.SetupError{Err: err}, io) // nothing was read or sent
		}
	}
	runningDir.Store(dir)
	bar := newMeter(io, mode, o.every, "reading "+job.Name)
	out, err := start(ctx, pipeline.RunOptions{
		Stop:         stop,
		Insecure:     o.insecure,
		WhileSending: tuning.WhileSending,
		StoreThread:  tuning.StoreThread,
		Options: pipeline.Options{RunDir: dir, Workers: o.workers, Command: io.invocation,
			Progress: bar.rows, Bytes: bar.readBytes, Phase: bar.phase},
		Getenv: getenv,
		Sending: func(total int) {
			bar.sending(total, "sending to "+job.Target.URL)
			bar.setConcurrency(job.Submit.Concurrency, job.Submit.Concurrency)
		},
		Concurrency: func(n int) { bar.setConcurrency(n, job.Submit.Concurrency) },
		Group:       func(g int) { bar.describe(fmt.Sprintf("sending group %d to %s", g, job.Target.URL)) },
		Task: func(id string, steps, total int) {
			bar.describe(fmt.Sprintf("background task %s: %d of %d steps", id, steps, total))
		},
		Sent:   bar.sent,
		Failed: bar.failedRecords,
	})
	bar.finish()
	var full *runstore.DiskFullError
	if errors.As(runstore.DiskFull(dir, err), &full) {
		fmt.Fprintf(io.err, "bulkload: aborted: %v; free some space, then %s\n", full, o.finishHint(dir))
		return exitAborted
	}
	var readErr *pipeline.ReadError
	var abort *pipeline.AbortError
	if err != nil && (out == nil || !(errors.As(err, &readErr) || errors.As(err, &abort) || ctx.Err() != nil)) {
		return runError(soft, err, io)
	}
	sum := out.Summary
	o.print(io, sum)
	switch {
	case ctx.Err() != nil || errors.Is(err, pipeline.Interrupted):
		fmt.Fprintf(io.err, "bulkload: interrupted; %s\n", o.finishHint(out.RunDir))
		return exitInterrupted
	case readErr != nil:
		fmt.Fprintf(io.err, "bulkload: aborted before sending anything: %v\n", readErr)
		return exitAborted
	case abort != nil:
		fmt.Fprintf(io.err, "bulkload: %v; the records not sent are pending: %s\n", abort, o.finishHint(out.RunDir))
		return exitAborted
	case sum.Count("total") == sum.Count(record.Succeeded):
		return exitOK
	}
	return exitSomeFailed
}

// finishHint says how to finish the run in dir that stopped early.
func (o runOptions) finishHint(dir string) string {
	if o.sandbox {
		return "the built-in sandbox ended with this run, and what it stored with it: to rehearse a resume, start " +
			"`bulkload sandbox` and run against it with --target, then bulkload run --resume " + dir
	}
	return "finish with: bulkload run --resume " + dir
}

// The variables through which a --sandbox run gets the sandbox's credentials; the run reads them
// from the getenv startSandbox returns, never from the environment.
const (
	sandboxTokenEnv    = "BULKLOAD_SANDBOX_TOKEN"
	sandboxUserEnv     = "BULKLOAD_SANDBOX_USER"
	sandboxPasswordEnv = "BULKLOAD_SANDBOX_PASSWORD"
)

// startSandbox starts a sandbox on a free loopback port and points the job at it: its URL (and
// for On Key its tenant and connection) and credentials the returned getenv supplies: a bearer
// token for On Key, a user name and password for Onix Work.
func startSandbox(job *spec.Job, configPath string) (*sandbox.Server, func(string) string, error) {
	cfg, err := sandboxConfig(configPath)
	if err != nil {
		return nil, nil, err
	}
	secrets := map[string]string{}
	switch job.Target.Kind {
	case spec.OnKey:
		if len(cfg.Tokens) == 0 {
			return nil, nil, fmt.Errorf("%s: the sandbox config has no tokens; a --sandbox run needs one", configPath)
		}
		job.Target.Tenant, job.Target.Connection = cfg.Tenant, cfg.Connection
		job.Target.Auth = spec.Auth{Kind: "bearer", TokenEnv: sandboxTokenEnv}
		secrets[sandboxTokenEnv] = cfg.Tokens[0]
	case spec.OnixWork:
		users := slices.Sorted(maps.Keys(cfg.OnixWork.Users))
		if len(users) == 0 {
			return nil, nil, fmt.Errorf("%s: the sandbox config has no Onix Work users; a --sandbox run needs one", configPath)
		}
		job.Target.Auth = spec.Auth{Kind: "password", UsernameEnv: sandboxUserEnv, PasswordEnv: sandboxPasswordEnv,
			TokenLifetime: job.Target.Auth.TokenLifetime}
		secrets[sandboxUserEnv], secrets[sandboxPasswordEnv] = users[0], cfg.OnixWork.Users[users[0]]
	default:
		return nil, nil, fmt.Errorf("the sandbox does not emulate target kind %q", job.Target.Kind)
	}
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	job.Target.URL = sb.URL()
	getenv := func(key string) string {
		if v, ok := secrets[key]; ok {
			return v
		}
		return os.Getenv(key)
	}
	return sb, getenv, nil
}
