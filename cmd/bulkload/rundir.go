package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// commandLine is the command line of bulkload args, quoted as a shell would need it: what the
// lock file of a run directory says started the process holding it.
func commandLine(args []string) string {
	parts := []string{"bulkload"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// lockRun takes the lock of the run directory dir of an existing run, before anything reads its
// store; ok is false when the command must exit with code (another process holds it: 2).
func lockRun(dir string, io streams) (lock *rundir.Lock, code int, ok bool) {
	lock, err := rundir.HoldExisting(dir, io.invocation)
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: %v; nothing was read or sent\n", err)
		writeJSONError(io, errorBody{Kind: "usage", Message: err.Error() + "; nothing was read or sent", ExitCode: exitUsage})
		return nil, exitUsage, false
	}
	return lock, exitOK, true
}

// loadRunJob loads the spec the run in dir was started with, pointed at the target the run sent
// to (a --target given then, or the spec's URL as it was); ok is false when the command must exit
// with code: 2 for a folder that is not a run directory or a spec with problems, 3 for a run
// store that cannot be trusted.
func loadRunJob(ctx context.Context, dir string, io streams) (job *spec.Job, code int, ok bool) {
	info, err := rundir.ReadInfo(ctx, dir)
	if err != nil {
		var damaged *runstore.DamagedError
		if errors.As(err, &damaged) {
			fmt.Fprintf(io.err, "bulkload: aborted: %v\n", err)
			writeJSONError(io, errorBody{Kind: "aborted", Message: err.Error(), ExitCode: exitAborted})
			return nil, exitAborted, false
		}
		fmt.Fprintf(io.err, "bulkload: %v\n", err)
		writeJSONError(io, errorBody{Kind: "usage", Message: err.Error(), ExitCode: exitUsage})
		return nil, exitUsage, false
	}
	job, ok = loadJobWith(info.Spec, info.SourceFiles, io)
	if !ok {
		return nil, exitUsage, false
	}
	if info.Target != "" {
		job.Target.URL = info.Target
	}
	return job, exitOK, true
}
