package main

import (
	"context"
	"flag"

	"github.com/bulkload/bulkload/schemas"
)

func schemaCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	return func(_ context.Context, args []string, io streams) int {
		if len(args) != 0 {
			fs.Usage()
			return exitUsage
		}
		if _, err := io.out.Write(schemas.JobSchema()); err != nil {
			return exitAborted
		}
		return exitOK
	}
}
