package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/report"
)

// limitedConfig is a sandbox config that lets through 5 calls a second, 2 at once.
const limitedConfig = "faults: {max_rps: 5, rate_burst: 2}\n"

// writeLimitedJob writes the kill job over 400 rows (8 calls of 50 at concurrency 4, submit
// edited by edit) and the limited sandbox config, and returns the job's and the config's paths.
func writeLimitedJob(t *testing.T, edit func(string) string) (job, cfg string) {
	t.Helper()
	t.Setenv("SANDBOX_URL", "http://127.0.0.1:1") // --sandbox replaces it
	t.Setenv("SANDBOX_TOKEN", "unused")
	dir := writeKillJob(t, 400)
	job, cfg = filepath.Join(dir, "job.yaml"), filepath.Join(dir, "sandbox.yaml")
	b, err := os.ReadFile(job)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(job, []byte(edit(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(limitedConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	return job, cfg
}

// The printed summary and summary.json say what the concurrency was: lowered by the sandbox's
// 429s when adaptive, the configured value throughout with submit.adaptive: false.
func TestRunSummaryShowsConcurrency(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(string) string
		line     *regexp.Regexp
		adaptive bool
	}{
		{"adaptive", func(s string) string { return s },
			regexp.MustCompile(`(?m)^  concurrency: 4 configured, lowest ([123]), final ([1234]) \(adaptive: ([1-9][0-9]*) answers 429 or 503\)$`), true},
		{"fixed", func(s string) string { return strings.Replace(s, "retries: 12", "retries: 12, adaptive: false", 1) },
			regexp.MustCompile(`(?m)^  concurrency: 4 \(fixed: submit.adaptive is false\)$`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job, cfg := writeLimitedJob(t, tt.edit)
			out := filepath.Join(t.TempDir(), "run")
			code, stdout, stderr := runCLI(t, "run", "--sandbox", "--sandbox-config", cfg, "--out", out, "--no-progress", job)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			m := tt.line.FindStringSubmatch(stdout)
			if m == nil {
				t.Fatalf("no concurrency line like %s in:\n%s", tt.line, stdout)
			}
			b, err := os.ReadFile(filepath.Join(out, report.SummaryJSON))
			if err != nil {
				t.Fatal(err)
			}
			var sum struct {
				Concurrency map[string]any `json:"concurrency"`
			}
			if err := json.Unmarshal(b, &sum); err != nil {
				t.Fatal(err)
			}
			c := sum.Concurrency
			if c["configured"] != 4.0 || c["adaptive"] != tt.adaptive {
				t.Errorf("summary.json concurrency %v", c)
			}
			if tt.adaptive && (jsonInt(c["lowest"]) != m[1] || jsonInt(c["final"]) != m[2] || jsonInt(c["throttled"]) != m[3]) {
				t.Errorf("summary.json concurrency %v, printed %q", c, m[0])
			}
			if !tt.adaptive && (c["lowest"] != 4.0 || c["final"] != 4.0 || c["throttled"] != nil) {
				t.Errorf("summary.json concurrency %v, want 4 throughout and no throttled count", c)
			}
		})
	}
}

func jsonInt(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// On a terminal the sending bar shows the requests in flight allowed now, of the configured 4,
// and how the sandbox's 429s lower it.
func TestProgressBarShowsConcurrency(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed")
	}
	job, cfg := writeLimitedJob(t, func(s string) string { return s })
	line := strings.Join([]string{shellQuote(os.Args[0]), "run", "--sandbox", "--sandbox-config", shellQuote(cfg),
		"--out", shellQuote(filepath.Join(t.TempDir(), "run")), shellQuote(job)}, " ")
	cmd := exec.Command(script, "-qefc", line, "/dev/null")
	cmd.Env = append(os.Environ(), asMainEnv+"=1", "COLUMNS=160", "LINES=30")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run on a terminal: %v\n%q", err, out)
	}
	if !regexp.MustCompile(`sending to http://127\.0\.0\.1:\d+.* [1-4] of 4 in flight`).Match(out) {
		t.Errorf("the bar never showed what is sent and the requests in flight: %q", out)
	}
	if !regexp.MustCompile(` [123] of 4 in flight`).Match(out) {
		t.Errorf("the bar never showed the lowered concurrency: %q", out)
	}
}
