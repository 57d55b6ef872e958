package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixJob reads items.csv (delimiter detected); qty must be an integer.
const fixJob = `version: 1
name: fixes
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: items, file: items.csv, schema: item.schema.json}
entities:
  - name: item
    source: items
    entityType: Item
    action: Create
    userObjectId: row.code
    properties: {code: row.code, name: row.name, qty: row.qty}
`

const fixSchema = `{"type": "object", "required": ["code"], "properties": {"code": {"type": "string"},
  "name": {"type": "string"}, "qty": {"type": "integer"}}}`

// writeFiles writes files into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// summaryCounts runs validate with --json and returns its exit code and the summary's counts.
func summaryCounts(t *testing.T, args ...string) (int, map[string]int) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"validate", "--json", "--no-progress"}, args...)...)
	var sum struct {
		Records map[string]int `json:"records"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("validate %q: exit %d, stdout is not summary.json: %v\nstdout: %s\nstderr: %s", args, code, err, stdout, stderr)
	}
	return code, sum.Records
}

// TestSourceFlagRunsACorrectedFixFile is the round trip through the CLI: an Excel "CSV UTF-8"
// file with a bad cell gives a fix file; the cell corrected in the fix file (its framing, the
// errors and origin columns left as written), validate with --source NAME=FILE, the path
// relative to the working directory, reads the corrected row and finds the record valid; the
// spec is not edited.
func TestSourceFlagRunsACorrectedFixFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"job.yaml": fixJob, "item.schema.json": fixSchema,
		"items.csv": "\xef\xbb\xbfcode;name;qty\r\nA1;Müller;2\r\nA2;\"x;y\";two\r\n"})
	spec := filepath.Join(dir, "job.yaml")
	code, counts := summaryCounts(t, "--out", filepath.Join(dir, "run1"), spec)
	if code != exitSomeFailed || counts["invalid"] != 1 {
		t.Fatalf("first validate: exit %d, counts %v; want exit %d and 1 invalid", code, counts, exitSomeFailed)
	}
	fixPath := filepath.Join(dir, "run1", "fix", "items.csv")
	fix, err := os.ReadFile(fixPath)
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte("A2;\"x;y\";two;")
	if !bytes.Contains(fix, bad) {
		t.Fatalf("fix file does not hold the bad row as the source has it:\n%q", fix)
	}
	corrected := bytes.Replace(fix, bad, []byte("A2;\"x;y\";3;"), 1)
	if err := os.WriteFile(filepath.Join(dir, "corrected.csv"), corrected, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, counts = summaryCounts(t, "--out", "run2", "--source", "items=corrected.csv", spec)
	if code != exitOK || counts["valid"] != 1 || counts["total"] != 1 {
		t.Fatalf("validate --source: exit %d, counts %v; want exit 0 and the one record valid", code, counts)
	}
	if _, err := os.Stat(filepath.Join("run2", "fix")); !os.IsNotExist(err) {
		t.Errorf("a valid run wrote fix files (%v)", err)
	}
}

// TestSourceFlagUsageErrors checks the usage errors of --source: a name the job lacks (with the
// nearest name suggested), a value without "=", a name given twice, a file that does not exist,
// and --source with --resume. None of them makes a run directory.
func TestSourceFlagUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"job.yaml": fixJob, "item.schema.json": fixSchema, "items.csv": "code;name;qty\n"})
	spec := filepath.Join(dir, "job.yaml")
	out := filepath.Join(dir, "run")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"validate", "--out", out, "--source", "itmes=items.csv", spec},
			[]string{`--source itmes: the job has no source "itmes" (its sources: items)`, "did you mean items?"}},
		{[]string{"validate", "--out", out, "--source", "items", spec}, []string{`"items": want NAME=FILE`}},
		{[]string{"validate", "--out", out, "--source", "items=a.csv", "--source", "items=b.csv", spec},
			[]string{"source items given twice (a.csv and b.csv)"}},
		{[]string{"validate", "--out", out, "--source", "items=" + filepath.Join(dir, "nope.csv"), spec},
			[]string{"--source items=" + filepath.Join(dir, "nope.csv"), "no such file or directory"}},
		{[]string{"run", "--resume", out, "--source", "items=items.csv"}, []string{"give no spec, --out, --source or --sandbox"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:len(tt.args)-1], " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, exitUsage, stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a run directory was made")
			}
		})
	}
}
