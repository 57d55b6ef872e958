package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// runCLI runs the program with args and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, streams{out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{name: "no command", args: nil, code: exitUsage, stderrHas: "bulkload: no command given\n\nbulkload: declarative"},
		{name: "unknown command", args: []string{"frobnicate"}, code: exitUsage, stderrHas: `unknown command "frobnicate"; the commands are completion, init, preview, reconcile, run,`},
		{name: "help", args: []string{"help"}, code: exitOK, stdoutHas: "validate"},
		{name: "help validate", args: []string{"help", "validate"}, code: exitOK, stdoutHas: "usage: bulkload validate [flags] JOB.yaml"},
		{name: "validate without spec", args: []string{"validate"}, code: exitUsage, stderrHas: "bulkload validate: no JOB.yaml given\nusage: bulkload validate [flags] JOB.yaml"},
		{name: "bad flag", args: []string{"validate", "--nope", "x.yaml"}, code: exitUsage, stderrHas: "bulkload validate: unknown flag --nope\n"},
		{name: "missing spec file", args: []string{"validate", "does-not-exist.yaml"}, code: exitUsage, stderrHas: "does-not-exist.yaml"},
		{name: "flag after the spec", args: []string{"validate", "does-not-exist.yaml", "--nope"}, code: exitUsage, stderrHas: "unknown flag --nope"},
		{name: "two specs", args: []string{"validate", "a.yaml", "--quiet", "b.yaml"}, code: exitUsage, stderrHas: `bulkload validate: 2 arguments given ("a.yaml", "b.yaml"); give one JOB.yaml`},
		{name: "exit codes in help", args: []string{"help", "validate"}, code: exitOK, stdoutHas: "130  interrupted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.stdoutHas) {
				t.Errorf("stdout %q does not contain %q", stdout, tt.stdoutHas)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderrHas)
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		quiet      bool
		out        string
	}{
		{[]string{"job.yaml"}, []string{"job.yaml"}, false, ""},
		{[]string{"--quiet", "job.yaml"}, []string{"job.yaml"}, true, ""},
		{[]string{"job.yaml", "--out", "runs/x", "--quiet"}, []string{"job.yaml"}, true, "runs/x"},
		{[]string{"job.yaml", "--", "--quiet"}, []string{"job.yaml", "--quiet"}, false, ""},
		{[]string{"--out", "o", "--", "-a", "-b"}, []string{"-a", "-b"}, false, "o"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		quiet := fs.Bool("quiet", false, "")
		out := fs.String("out", "", "")
		got, err := parseInterspersed(fs, tt.args)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if !slices.Equal(got, tt.positional) || *quiet != tt.quiet || *out != tt.out {
			t.Errorf("%q: positional %q quiet %v out %q; want %q %v %q", tt.args, got, *quiet, *out, tt.positional, tt.quiet, tt.out)
		}
	}
}

func TestSchemaCommandPrintsTheJobSchema(t *testing.T) {
	code, stdout, _ := runCLI(t, "schema")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var schema map[string]any
	if err := json.Unmarshal([]byte(stdout), &schema); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	props, _ := schema["properties"].(map[string]any)
	for _, key := range []string{"target", "submit", "sources", "entities"} {
		if _, ok := props[key]; !ok {
			t.Errorf("schema has no property %q", key)
		}
	}
}

// TestSpecErrorsExitTwoBeforeReading checks that spec problems are all printed with positions,
// the exit code is 2, and no run directory is made.
func TestSpecErrorsExitTwoBeforeReading(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "job.yaml")
	os.WriteFile(spec, []byte(`version: 1
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
`), 0o644)
	code, stdout, stderr := runCLI(t, "validate", "--out", filepath.Join(dir, "run"), spec)
	if code != exitUsage {
		t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for _, want := range []string{"job.yaml:14:5", `grouporder`, "job.yaml:6:11", "s.csv"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "run")); !os.IsNotExist(err) {
		t.Errorf("a run directory was made for a spec with errors")
	}
}

// TestUnreadableSourceAbortsWithReportsOfWhatWasRead checks that a source that cannot be read to
// its end (a folder of JSON files, one of them a dangling link) gives exit 3 and a message naming
// the file, and that the rows read before it are still in the report.
func TestUnreadableSourceAbortsWithReportsOfWhatWasRead(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"job.yaml": `version: 1
name: cut
target: {kind: onixwork, url: "http://127.0.0.1:1"}
sources:
  - {name: orders, file: orders, schema: order.schema.json}
entities:
  - name: order
    source: orders
    endpoint: /v1/orders
    userObjectId: row.id
    properties: {orderImportId: row.id}
`,
		"order.schema.json": `{"type": "object", "properties": {"id": {"type": "string", "minLength": 2}}}`,
		"orders/1.json":     `[{"id": "A1"}, {"id": "B"}]`,
	}
	if err := os.Mkdir(filepath.Join(dir, "orders"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing.json", filepath.Join(dir, "orders", "2.json")); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := filepath.Join(dir, "run")
	code, stdout, stderr := runCLI(t, "validate", "--out", run, filepath.Join(dir, "job.yaml"))
	if code != exitAborted {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, exitAborted, stdout, stderr)
	}
	for _, want := range []string{"bulkload: aborted: source orders: orders/2.json", "the reports cover only the rows read before this"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not contain %q:\n%s", want, stderr)
		}
	}
	report, err := os.ReadFile(filepath.Join(run, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A1,valid,", "B,invalid,"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.csv lacks %q:\n%s", want, report)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(run, "summary.json"))
	if !strings.Contains(string(summary), `"aborted": "source orders: orders/2.json`) {
		t.Errorf("summary.json does not say the run was aborted:\n%s", summary)
	}
}
