package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/sandbox"
)

// brokenSpec is a job spec with four errors at known places: a source file and a schema that do
// not exist (6:11, 7:13), a Merge without id (9:5) and an unknown key (14:5).
const brokenSpec = `version: 1
name: broken
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - name: s
    file: s.csv
    schema: s.schema.json
entities:
  - name: e
    source: s
    entityType: Site
    action: Merge
    userObjectId: row.id
    grouporder: 2
`

// writeBrokenSpec writes brokenSpec into dir and returns its path.
func writeBrokenSpec(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(brokenSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// sentRunDir makes a run directory with a run of a good spec of two records sent to a sandbox;
// it returns the run directory and the spec's folder.
func sentRunDir(t *testing.T) (string, string) {
	t.Helper()
	cfg := sandbox.DefaultConfig()
	sb, err := sandbox.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	t.Setenv("SANDBOX_URL", sb.URL())
	t.Setenv("SANDBOX_TOKEN", cfg.Tokens[0])
	dir := writeKillJob(t, 2)
	runDir := filepath.Join(dir, "run")
	if code, _, stderr := runCLI(t, "run", "--quiet", "--out", runDir, filepath.Join(dir, "job.yaml")); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return runDir, dir
}

// runDirOfBrokenSpec is sentRunDir with the spec broken since: what reconcile meets when the
// spec was edited after the run.
func runDirOfBrokenSpec(t *testing.T) string {
	t.Helper()
	runDir, dir := sentRunDir(t)
	writeBrokenSpec(t, dir)
	return runDir
}

// TestCommandHabits is every command with -h, no arguments, a wrong argument, a typo and --json
// with a spec error (where the command loads a spec; elsewhere --json is an unknown flag): the
// stream the message goes to, the exit code and the message. Help goes to stdout and leaves
// stderr empty; errors go to stderr and leave stdout empty unless --json was given.
func TestCommandHabits(t *testing.T) {
	spec := writeBrokenSpec(t, t.TempDir())
	runDir := runDirOfBrokenSpec(t)
	const out, errs = "stdout", "stderr"
	tests := []struct {
		name   string
		args   []string
		code   int
		stream string
		has    string
		// json: stdout is one errorReport of this kind (spec: with the spec's two problems).
		json string
	}{
		{"run -h", []string{"run", "-h"}, exitOK, out, "usage: bulkload run [flags] JOB.yaml | --resume RUNDIR\n", ""},
		{"run --help", []string{"run", "--help"}, exitOK, out, "\n  --concurrency int\n", ""},
		{"run", []string{"run"}, exitUsage, errs, "bulkload run: no JOB.yaml given (or --resume RUNDIR to finish a stopped run)\nusage: bulkload run [flags] JOB.yaml | --resume RUNDIR (`bulkload run -h` for more)\n", ""},
		{"run two jobs", []string{"run", "a.yaml", "b.yaml"}, exitUsage, errs, `bulkload run: 2 arguments given ("a.yaml", "b.yaml"); give one JOB.yaml`, ""},
		{"run --retry-failed alone", []string{"run", "--retry-failed", "a.yaml"}, exitUsage, errs, "bulkload run: --retry-failed needs --resume RUNDIR", ""},
		{"run typo", []string{"run", "--concurency", "4", "a.yaml"}, exitUsage, errs, "bulkload run: unknown flag --concurency (did you mean --concurrency?)", ""},
		{"run bad value", []string{"run", "--concurrency", "four", "a.yaml"}, exitUsage, errs, `bulkload run: invalid value "four" for flag --concurrency: want an integer`, ""},
		{"run --json spec error", []string{"run", "--json", spec}, exitUsage, errs, "job.yaml:14:5: entities[0].grouporder:", "spec"},
		{"run --json usage error", []string{"run", "--json"}, exitUsage, errs, "bulkload run: no JOB.yaml given", "usage"},

		{"validate -h", []string{"validate", "-h"}, exitOK, out, "usage: bulkload validate [flags] JOB.yaml\n\ndry run:", ""},
		{"validate", []string{"validate"}, exitUsage, errs, "bulkload validate: no JOB.yaml given\n", ""},
		{"validate two jobs", []string{"validate", "a.yaml", "--quiet", "b.yaml"}, exitUsage, errs, `bulkload validate: 2 arguments given ("a.yaml", "b.yaml"); give one JOB.yaml`, ""},
		{"validate typo", []string{"validate", "--quite", "a.yaml"}, exitUsage, errs, "bulkload validate: unknown flag --quite (did you mean --quiet?)", ""},
		{"validate another command's flag", []string{"validate", "--concurrency", "4", "a.yaml"}, exitUsage, errs, "unknown flag --concurrency: it is a flag of bulkload run, not of bulkload validate", ""},
		{"validate --json spec error", []string{"validate", spec, "--json"}, exitUsage, errs, "job.yaml has 4 problem(s); nothing was read or sent", "spec"},
		{"test -h", []string{"test", "-h"}, exitOK, out, "usage: bulkload test [flags] [JOB.yaml]\n\nrun the job's mapping tests", ""},
		{"test two jobs", []string{"test", "a.yaml", "b.yaml"}, exitUsage, errs, `bulkload test: want at most one JOB.yaml, got 2: "a.yaml", "b.yaml"`, ""},
		{"test typo", []string{"test", "--rn", "x", "a.yaml"}, exitUsage, errs, "bulkload test: unknown flag --rn (did you mean --run?)", ""},
		{"test spec error", []string{"test", spec}, exitUsage, errs, "job.yaml has 4 problem(s); nothing was read or sent", ""},
		{"validate --json typo", []string{"validate", "--json", "--quite", spec}, exitUsage, errs, "unknown flag --quite (did you mean --quiet?)", "usage"},

		{"init -h", []string{"init", "-h"}, exitOK, out, "usage: bulkload init [flags] FILE...\n", ""},
		{"init", []string{"init"}, exitUsage, errs, "bulkload init: no FILE given; give the CSV, XLSX or JSON files to start from\n", ""},
		{"init typo", []string{"init", "--targt", "onkey", "a.csv"}, exitUsage, errs, "bulkload init: unknown flag --targt (did you mean --target?)", ""},
		{"init wrong target", []string{"init", "--target", "sap", "a.csv"}, exitUsage, errs, `bulkload init: --target "sap": want onkey or onixwork`, ""},

		{"runs -h", []string{"runs", "-h"}, exitOK, out, "usage: bulkload runs [flags] [prune] [JOB.yaml | DIR]\n\nlist a job's run directories", ""},
		{"runs three args", []string{"runs", "a", "b", "c"}, exitUsage, errs, `bulkload runs: 3 arguments given ("a", "b", "c"); give one JOB.yaml or DIR`, ""},
		{"runs typo", []string{"runs", "--jsno"}, exitUsage, errs, "bulkload runs: unknown flag --jsno (did you mean --json?)", ""},
		{"runs prune bad keep", []string{"runs", "prune", "--keep", "x"}, exitUsage, errs, `bulkload runs: invalid value "x" for flag --keep: want a count of 0 or more, not "x"`, ""},
		{"runs --json missing job", []string{"runs", "--json", "missing.yaml"}, exitUsage, errs, "stat missing.yaml: no such file or directory: give a JOB.yaml or the folder that holds its run directories", "usage"},
		{"preview -h", []string{"preview", "-h"}, exitOK, out, "usage: bulkload preview [flags] JOB.yaml\n\nshow the first rows", ""},
		{"preview", []string{"preview"}, exitUsage, errs, "bulkload preview: no JOB.yaml given\n", ""},
		{"preview two jobs", []string{"preview", "a.yaml", "b.yaml"}, exitUsage, errs, `bulkload preview: 2 arguments given ("a.yaml", "b.yaml"); give one JOB.yaml`, ""},
		{"preview typo", []string{"preview", "--limt", "3", "a.yaml"}, exitUsage, errs, "bulkload preview: unknown flag --limt (did you mean --limit?)", ""},
		{"preview bad limit", []string{"preview", "--limit", "0", "a.yaml"}, exitUsage, errs, "bulkload preview: --limit must be at least 1, got 0", ""},
		{"preview --json spec error", []string{"preview", "--json", spec}, exitUsage, errs, "job.yaml has 4 problem(s); nothing was read or sent", "spec"},

		{"reconcile -h", []string{"reconcile", "-h"}, exitOK, out, "usage: bulkload reconcile [flags] RUNDIR\n", ""},
		{"reconcile", []string{"reconcile"}, exitUsage, errs, "bulkload reconcile: no RUNDIR given\n", ""},
		{"reconcile two dirs", []string{"reconcile", "a", "b"}, exitUsage, errs, `bulkload reconcile: 2 arguments given ("a", "b"); give one RUNDIR`, ""},
		{"reconcile typo", []string{"reconcile", "--taget", "http://x", runDir}, exitUsage, errs, "bulkload reconcile: unknown flag --taget (did you mean --target?)", ""},
		{"reconcile --json spec error", []string{"reconcile", "--json", runDir}, exitUsage, errs, "job.yaml:14:5: entities[0].grouporder:", "spec"},

		{"sandbox -h", []string{"sandbox", "-h"}, exitOK, out, "usage: bulkload sandbox [flags]\n", ""},
		{"sandbox extra", []string{"sandbox", "extra"}, exitUsage, errs, `bulkload sandbox: unexpected argument "extra": this command takes none`, ""},
		{"sandbox typo", []string{"sandbox", "--lisen", "127.0.0.1:0"}, exitUsage, errs, "bulkload sandbox: unknown flag --lisen (did you mean --listen?)", ""},
		{"sandbox --json", []string{"sandbox", "--json"}, exitUsage, errs, "bulkload sandbox: unknown flag --json: it is a flag of bulkload run, bulkload validate, bulkload preview, bulkload reconcile, bulkload runs, not of bulkload sandbox", ""},

		{"schema -h", []string{"schema", "-h"}, exitOK, out, "usage: bulkload schema [flags]\n\nprint the job spec's JSON Schema", ""},
		{"schema", []string{"schema"}, exitOK, out, `"properties"`, ""},
		{"schema extra", []string{"schema", "job.yaml"}, exitUsage, errs, `bulkload schema: unexpected argument "job.yaml": this command takes none`, ""},
		{"schema typo", []string{"schema", "--hlep"}, exitUsage, errs, "bulkload schema: unknown flag --hlep (did you mean --help?)", ""},
		{"schema --json", []string{"schema", "--json"}, exitUsage, errs, "bulkload schema: unknown flag --json: it is a flag of", ""},

		{"version -h", []string{"version", "-h"}, exitOK, out, "usage: bulkload version [flags]\n", ""},
		{"version", []string{"version"}, exitOK, out, "bulkload (devel)\n", ""},
		{"version extra", []string{"version", "now"}, exitUsage, errs, `bulkload version: unexpected argument "now": this command takes none`, ""},
		{"version typo", []string{"version", "--shrot"}, exitUsage, errs, "bulkload version: unknown flag --shrot: bulkload version takes no flags", ""},

		{"completion -h", []string{"completion", "-h"}, exitOK, out, "usage: bulkload completion [flags] bash|zsh|fish\n", ""},
		{"completion", []string{"completion"}, exitUsage, errs, "bulkload completion: no shell (bash, zsh, fish) given\n", ""},
		{"completion two shells", []string{"completion", "bash", "zsh"}, exitUsage, errs, `2 arguments given ("bash", "zsh"); give one shell`, ""},
		{"completion wrong shell", []string{"completion", "powershell"}, exitUsage, errs, `bulkload completion: unknown shell "powershell"; want one of bash, zsh, fish`, ""},
		{"completion typo", []string{"completion", "bsah"}, exitUsage, errs, `unknown shell "bsah"; want one of bash, zsh, fish (did you mean "bash"?)`, ""},

		{"help", []string{"help"}, exitOK, out, "usage: bulkload COMMAND [flags] [args]\n", ""},
		{"help -h", []string{"help", "-h"}, exitOK, out, "usage: bulkload COMMAND [flags] [args]\n", ""},
		{"help run", []string{"help", "run"}, exitOK, out, "usage: bulkload run [flags] JOB.yaml | --resume RUNDIR\n", ""},
		{"help typo", []string{"help", "vaildate"}, exitUsage, errs, `bulkload: unknown command "vaildate" (did you mean "validate"?)`, ""},
		{"help two", []string{"help", "run", "validate"}, exitUsage, errs, "bulkload: help takes one COMMAND, not 2 arguments (run validate)", ""},

		{"no command", nil, exitUsage, errs, "bulkload: no command given\n", ""},
		{"--help", []string{"--help"}, exitOK, out, "usage: bulkload COMMAND [flags] [args]\n", ""},
		{"--version", []string{"--version"}, exitOK, out, "bulkload (devel)\n", ""},
		{"command typo", []string{"vaildate", "job.yaml"}, exitUsage, errs, `bulkload: unknown command "vaildate" (did you mean "validate"?)`, ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, errs, `bulkload: unknown command "frobnicate"; the commands are completion, init, preview, reconcile, run, runs, sandbox, schema, test, validate, version`, ""},
		{"top flag typo", []string{"--verison"}, exitUsage, errs, "bulkload: unknown flag --verison (did you mean --version?)", ""},
		{"command flag first", []string{"--quiet", "validate"}, exitUsage, errs, "bulkload: --quiet is a flag of bulkload run, bulkload validate, bulkload reconcile: give it after the command", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			got, other, otherName := stdout, stderr, errs
			if tt.stream == errs {
				got, other, otherName = stderr, stdout, out
			}
			if !strings.Contains(got, tt.has) {
				t.Errorf("%s does not contain %q", tt.stream, tt.has)
			}
			if tt.json != "" {
				checkJSONError(t, stdout, tt.json, tt.code)
			} else if other != "" {
				t.Errorf("%s is not empty", otherName)
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
			}
		})
	}
}

// checkJSONError checks that stdout is one errorReport of kind with exit code; a spec error's
// problems are brokenSpec's, each with its file, line and column.
func checkJSONError(t *testing.T, stdout, kind string, code int) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var r errorReport
	if err := dec.Decode(&r); err != nil {
		t.Errorf("stdout is not an error report: %v", err)
		return
	}
	if dec.More() {
		t.Errorf("stdout holds more than one JSON value")
	}
	if r.Error.Kind != kind || r.Error.ExitCode != code || r.Error.Message == "" || r.Error.Command == "" {
		t.Errorf("error report %+v: want kind %s, exit code %d, a message and the command", r.Error, kind, code)
	}
	if kind != "spec" {
		return
	}
	want := []struct {
		line, col int
		path, msg string
	}{{6, 11, "sources[0].file", "file not found"}, {7, 13, "sources[0].schema", "file not found"},
		{9, 5, "entities[0]", `missing required key "id"`}, {14, 5, "entities[0].grouporder", `unknown key "grouporder"`}}
	if len(r.Error.Problems) != len(want) {
		t.Errorf("problems %+v, want %d", r.Error.Problems, len(want))
		return
	}
	for i, w := range want {
		p := r.Error.Problems[i]
		if filepath.Base(p.File) != "job.yaml" || p.Line != w.line || p.Column != w.col || p.Path != w.path || !strings.Contains(p.Message, w.msg) {
			t.Errorf("problem %d: %+v, want job.yaml:%d:%d %s: ...%s...", i, p, w.line, w.col, w.path, w.msg)
		}
	}
}
