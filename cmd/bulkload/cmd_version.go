package main

import (
	"context"
	"flag"
	"fmt"
	"runtime/debug"
	"strings"
)

func versionCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	return func(_ context.Context, _ []string, io streams) int {
		bi, ok := debug.ReadBuildInfo()
		fmt.Fprint(io.out, versionText(bi, ok))
		return exitOK
	}
}

// versionText renders what the binary knows of its build: the module version, the VCS revision
// and commit time it was built from (with "+ uncommitted changes" when the checkout was
// modified), and the Go toolchain. A "(devel)" version, or a missing revision, is explained.
func versionText(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "bulkload (unknown version: the binary carries no build information)\n"
	}
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	var b strings.Builder
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(&b, "bulkload %s\n", v)
	if v == "(devel)" {
		fmt.Fprintf(&b, "  (devel): built from a source tree that gave Go no module version (no VCS stamp), not from a released version\n")
	}
	if bi.Main.Path != "" {
		fmt.Fprintf(&b, "  module:   %s\n", bi.Main.Path)
	}
	if rev := set["vcs.revision"]; rev != "" {
		vcs := set["vcs"]
		if vcs == "" {
			vcs = "vcs"
		}
		line := fmt.Sprintf("  revision: %s (%s)", rev, vcs)
		if set["vcs.modified"] == "true" {
			line += " + uncommitted changes"
		}
		fmt.Fprintln(&b, line)
		if t := set["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "  commit:   %s\n", t)
		}
	} else {
		fmt.Fprintf(&b, "  revision: not stamped (built by go test, with -buildvcs=false in the flags or GOFLAGS, in a git worktree, or outside git; `go install ./cmd/bulkload` in a clone stamps it)\n")
	}
	goos, goarch := set["GOOS"], set["GOARCH"]
	platform := ""
	if goos != "" && goarch != "" {
		platform = " " + goos + "/" + goarch
	}
	if bi.GoVersion != "" {
		fmt.Fprintf(&b, "  go:       %s%s\n", bi.GoVersion, platform)
	}
	return b.String()
}
