package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `bulkload runs` refuses what it cannot do with a usage error (exit 2) saying what is wrong, and
// says so plainly where there is nothing to list.
func TestRunsCommandUsage(t *testing.T) {
	empty := t.TempDir()
	spec := filepath.Join(t.TempDir(), "job.yaml")
	// A spec whose credentials come from an environment this test does not set: listing does not
	// need them.
	if err := os.WriteFile(spec, []byte("version: 1\nname: types\ntarget: {kind: onkey, url: \"${NOT_SET_URL}\"}\nreport: {dir: out}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(filepath.Dir(spec), "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string // in stderr, or stdout for exit 0
	}{
		{"prune without --keep", []string{"runs", "prune", empty}, exitUsage, "prune needs --keep N"},
		{"--keep without prune", []string{"runs", "--keep", "2", empty}, exitUsage, "--keep belongs to `bulkload runs prune`"},
		{"--dry-run without prune", []string{"runs", "--dry-run", empty}, exitUsage, "--dry-run belongs to `bulkload runs prune`"},
		{"negative keep", []string{"runs", "prune", "--keep", "-1", empty}, exitUsage, `want a count of 0 or more, not "-1"`},
		{"two folders", []string{"runs", empty, empty}, exitUsage, "2 arguments given"},
		{"no such folder", []string{"runs", filepath.Join(empty, "nope")}, exitUsage, "give a JOB.yaml or the folder that holds its run directories"},
		{"nothing to list", []string{"runs", empty}, exitOK, "no run directories in " + empty},
		{"nothing newest", []string{"runs", "--latest", empty}, exitSomeFailed, "no run directories in " + empty},
		{"spec without its environment", []string{"runs", spec}, exitOK, "no run directories in " + filepath.Join(filepath.Dir(spec), "out")},
		{"prune nothing", []string{"runs", "prune", "--keep", "0", empty}, exitOK, "freed 0 B (0 run directories)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			got := errOut
			if c.code == exitOK {
				got = out
			}
			if code != c.code || !strings.Contains(got, c.want) {
				t.Errorf("exit %d, want %d; output lacks %q:\nstdout: %s\nstderr: %s", code, c.code, c.want, out, errOut)
			}
		})
	}
}
