package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A progress bar, and any escape sequence, reaches stderr only when it is a terminal: the same
// dry run of 100,000 rows draws its bar, counts and ETA on a pseudo-terminal (made by script(1)),
// and writes neither to a pipe or a file (at most a plain progress line if it takes 10 s), where
// stdout holds the plain summary.
func TestProgressBarOnlyOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two dry runs of 100,000 rows")
	}
	t.Setenv("SANDBOX_URL", "http://127.0.0.1:1")
	t.Setenv("SANDBOX_TOKEN", "unused")
	dir := writeKillJob(t, 100000)
	job := filepath.Join(dir, "job.yaml")
	env := append(os.Environ(), asMainEnv+"=1")

	t.Run("pipe", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(os.Args[0], "validate", "--out", filepath.Join(dir, "run-pipe"), job)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("validate: %v\n%s", err, stderr.String())
		}
		for _, line := range strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
			if line != "" && !plainProgress.MatchString(line) {
				t.Errorf("stderr holds more than plain progress lines: %q", stderr.String())
				break
			}
		}
		if s := stdout.String(); strings.ContainsAny(s, "\x1b\r") || !strings.HasPrefix(s, "types: dry run, 100000 rows") {
			t.Errorf("stdout is not the plain summary: %q", s)
		}
	})
	t.Run("terminal", func(t *testing.T) {
		script, err := exec.LookPath("script")
		if err != nil {
			t.Skip("script(1) is not installed")
		}
		line := strings.Join([]string{shellQuote(os.Args[0]), "validate", "--out", shellQuote(filepath.Join(dir, "run-tty")), shellQuote(job)}, " ")
		cmd := exec.Command(script, "-qefc", line, "/dev/null")
		cmd.Env = append(env, "COLUMNS=100", "LINES=30")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("validate on a terminal: %v\n%q", err, out)
		}
		if !spinner.Match(out) {
			t.Errorf("no progress bar on the terminal: %q", out)
		}
		if !bytes.Contains(out, []byte("types: dry run, 100000 rows")) {
			t.Errorf("no summary on the terminal: %q", out)
		}
	})
}

// spinner is one frame of the reading bar, its total estimated from the bytes read:
// "\rvalidating types [======>       ]  42%  8,400/~20,000 rows  9,043 rows/s  ETA 1s"; the ETA as
// the bar writes it (5s, 2m00s, 1h02m).
var spinner = regexp.MustCompile(`\rvalidating types \[[=> ]+\] +\d+%  [\d,]+/~[\d,]+ rows  [\d,]+ rows/s  ETA (\d+s|\d+m\d\ds|\d+h\d\dm)`)

// plainProgress is a progress line written every 10 s without a terminal.
var plainProgress = regexp.MustCompile(`^bulkload: progress: [^\x1b\r]+$`)

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
