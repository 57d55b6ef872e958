package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	main := debug.Module{Path: "github.com/bulkload/bulkload"}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "bulkload (unknown version: the binary carries no build information)\n"},
		{"devel without VCS", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: main.Path, Version: "(devel)"},
			Settings: setting("GOOS", "linux", "GOARCH", "amd64")},
			"bulkload (devel)\n" +
				"  (devel): built from a source tree that gave Go no module version (no VCS stamp), not from a released version\n" +
				"  module:   github.com/bulkload/bulkload\n" +
				"  revision: not stamped (built by go test, with -buildvcs=false in the flags or GOFLAGS, in a git worktree, or outside git; `go install ./cmd/bulkload` in a clone stamps it)\n" +
				"  go:       go1.26.8 linux/amd64\n"},
		{"checkout with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: main.Path, Version: "v0.0.0-20261203120000-0123456789ab+dirty"},
			Settings: setting("vcs", "git", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-12-03T12:00:00Z", "vcs.modified", "true")},
			"bulkload v0.0.0-20261203120000-0123456789ab+dirty\n" +
				"  module:   github.com/bulkload/bulkload\n" +
				"  revision: 0123456789abcdef0123456789abcdef01234567 (git) + uncommitted changes\n" +
				"  commit:   2026-12-03T12:00:00Z\n" +
				"  go:       go1.26.8\n"},
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: main.Path, Version: "v1.4.0"},
			Settings: setting("vcs", "git", "vcs.revision", "fedcba", "vcs.time", "2026-11-01T08:00:00Z", "vcs.modified", "false", "GOOS", "darwin", "GOARCH", "arm64")},
			"bulkload v1.4.0\n  module:   github.com/bulkload/bulkload\n  revision: fedcba (git)\n  commit:   2026-11-01T08:00:00Z\n  go:       go1.26.8 darwin/arm64\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.bi, tt.bi != nil); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// A binary built in a clone of this repository (with VCS stamping, which `go install
// ./cmd/bulkload` does unless GOFLAGS says -buildvcs=false; Go does not stamp in a git
// worktree) names the clone's revision in both `bulkload --version` and `bulkload version`,
// and says when the tree had uncommitted changes.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bulkload twice")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	clone := filepath.Join(t.TempDir(), "src")
	if out, err := exec.Command("git", "clone", "-q", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	head, err := exec.Command("git", "-C", clone, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	revision := "  revision: " + strings.TrimSpace(string(head)) + " (git)"
	for _, tt := range []struct {
		name   string
		change func()
		want   string
	}{
		{"clean", func() {}, revision + "\n"},
		{"changed", func() {
			if err := os.WriteFile(filepath.Join(clone, "README.md"), []byte("changed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, revision + " + uncommitted changes\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.change()
			bin := filepath.Join(t.TempDir(), "bulkload")
			build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/bulkload")
			build.Dir = clone
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			var outputs []string
			for _, arg := range []string{"--version", "version"} {
				out, err := exec.Command(bin, arg).Output()
				if err != nil {
					t.Fatalf("bulkload %s: %v", arg, err)
				}
				outputs = append(outputs, string(out))
			}
			if outputs[0] != outputs[1] {
				t.Errorf("--version and version differ:\n%s\n%s", outputs[0], outputs[1])
			}
			if !strings.Contains(outputs[0], tt.want) || !strings.Contains(outputs[0], "\n  commit:   ") || strings.Contains(outputs[0], "(devel)") {
				t.Errorf("bulkload --version:\n%s\nwant the line %q, the commit time and no (devel)", outputs[0], tt.want)
			}
		})
	}
}
