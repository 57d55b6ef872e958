package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/targets/onkey"
)

func reconcileCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	target := fs.String("target", "", "base URL of the target, instead of the spec's target.url")
	insecure := fs.Bool("insecure", false, "do not verify the target's TLS certificate (test servers only)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	jsonOut := fs.Bool("json", false, "print the verdict counts as JSON to stdout instead of the human line")
	return func(ctx context.Context, args []string, io streams) int {
		if len(args) != 1 {
			fs.Usage()
			return exitUsage
		}
		dir := args[0]
		lock, code, ok := lockRun(dir, io)
		if !ok {
			return code
		}
		defer lock.Release()
		job, code, ok := loadRunJob(ctx, dir, io)
		if !ok {
			return code
		}
		if *target != "" {
			job.Target.URL = *target
		}
		sum, err := pipeline.Reconcile(ctx, job, dir, pipeline.RunOptions{Insecure: *insecure, Options: pipeline.Options{Lock: lock}})
		if err != nil {
			return runError(ctx, err, io)
		}
		v := sum.Verdicts
		if *jsonOut {
			enc := json.NewEncoder(io.out)
			enc.SetIndent("", "  ")
			_ = enc.Encode(map[string]any{"target": job.Target.URL, "verdicts": v, "file": sum.File})
		} else if !*quiet {
			fmt.Fprintf(io.out, "checked %d records against %s: %d agree, %d mismatch; unknown: %d exist, %d absent; %d not checkable\n",
				v[onkey.ReconcileAgrees]+v[onkey.ReconcileMismatch]+v[onkey.ReconcileExists]+v[onkey.ReconcileAbsent]+v[onkey.ReconcileNotCheckable], job.Target.URL,
				v[onkey.ReconcileAgrees], v[onkey.ReconcileMismatch], v[onkey.ReconcileExists], v[onkey.ReconcileAbsent], v[onkey.ReconcileNotCheckable])
			fmt.Fprintf(io.out, "every record's verdict: %s\n", sum.File)
		}
		if v[onkey.ReconcileMismatch] > 0 {
			return exitSomeFailed
		}
		return exitOK
	}
}
