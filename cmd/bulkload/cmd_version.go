package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
)

func versionCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	return func(_ context.Context, _ []string, io streams) int {
		v := "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		fmt.Fprintf(io.out, "bulkload %s\n", v)
		return exitOK
	}
}
