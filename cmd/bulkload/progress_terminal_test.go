package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// On a pseudo-terminal of 80 and of 120 columns (made by script(1), sized by stty), the bar of a
// run of 20,000 rows against the built-in sandbox stays on one line: every frame is narrower
// than the terminal, frames are drawn over each other (a carriage return, never a line feed,
// between them), and the phases show in turn: reading with an estimated total and an ETA, the
// checks across rows, sending with its failed count, writing reports. The summary after it is
// wrapped to the width too.
func TestProgressBarFitsTheTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a run of 20,000 rows per width")
	}
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	dir := writeKillJob(t, 20000)
	job := filepath.Join(dir, "job.yaml")
	for _, cols := range []int{80, 120} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			run := filepath.Join(dir, fmt.Sprintf("run-%d", cols))
			line := fmt.Sprintf("stty cols %d rows 30; %s run --sandbox --out %s %s", cols,
				shellQuote(os.Args[0]), shellQuote(run), shellQuote(job))
			cmd := exec.Command(script, "-qefc", line, "/dev/null")
			cmd.Env = append(os.Environ(), asMainEnv+"=1", "SANDBOX_URL=http://127.0.0.1:1", "SANDBOX_TOKEN=unused")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("run on a terminal: %v\n%q", err, out)
			}
			text := strings.ReplaceAll(string(out), "\r\n", "\n") // the terminal's own line ends
			start := strings.Index(text, "\r")
			end := strings.Index(text, "types: run, 20000 rows")
			if start < 0 || end < start {
				t.Fatalf("no bar, or no summary after it: %q", text)
			}
			bar := text[start:end]
			if strings.Contains(bar, "\n") {
				t.Errorf("the bar left its line: %q", bar)
			}
			frames := strings.Split(bar, "\r")
			if len(frames) < 5 {
				t.Errorf("only %d frames: %q", len(frames), bar)
			}
			for _, f := range frames {
				f = ansi.ReplaceAllString(f, "")
				if n := utf8.RuneCountInString(f); n >= cols {
					t.Errorf("a frame of %d columns on a terminal of %d: %q", n, cols, f)
				}
			}
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`reading types \[[=> ]+\] +\d+%  [\d,]+/~[\d,]+ rows .*ETA (\d+s|\d+m\d\ds|\d+h\d\dm)`),
				regexp.MustCompile(`checking keys and parents across rows`),
				regexp.MustCompile(`sending (group 1 )?to http://12[^\[]* \[[=> ]+\] +(\d+%  )?[\d,]+/20,000 records .*0 failed`),
				regexp.MustCompile(`writing reports`),
			} {
				if !want.MatchString(bar) {
					t.Errorf("no frame matches %s", want)
				}
			}
			for _, l := range strings.Split(text[end:], "\n") {
				if n := utf8.RuneCountInString(l); n > cols {
					t.Errorf("a summary line of %d columns on a terminal of %d: %q", n, cols, l)
				}
			}
		})
	}
}

// ansi matches the escape sequences the bar draws with.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)
