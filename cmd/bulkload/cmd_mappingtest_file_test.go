package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenTestFileExitsTwoNamingLineAndColumn: a test file that cannot be run is exit 2, with
// the problem at file:line:col on stderr, and no test is reported as passed or failed.
func TestBrokenTestFileExitsTwoNamingLineAndColumn(t *testing.T) {
	cases := []struct {
		name, file, want string
	}{
		{"yaml syntax", "tests:\n\t- name: a\n", ":2:1: found character that cannot start any token"},
		{"unknown key with a suggestion", "tests:\n  - name: a\n    rowz: []\n", ":3:5: tests[0]: unknown key \"rowz\" (did you mean rows?)"},
		{"no tests", "tests: []\n", ":1:8: tests: want a list of tests"},
		{"no expect", "tests:\n  - name: a\n    rows: [" + ordersRow + "]\n", ":2:5: tests[0]: expect is missing"},
		{"expect without records or errors", "tests:\n  - name: a\n    rows: [" + ordersRow + "]\n    expect: {}\n",
			":4:13: tests[0].expect: say which records"},
		{"record without status", "tests:\n  - name: a\n    rows: [" + ordersRow + "]\n    expect:\n      records: [{entity: order}]\n",
			":5:17: tests[0].expect.records[0]: entity and status are required"},
		{"error field misspelt", "tests:\n  - name: a\n    rows: [" + ordersRow + "]\n    expect:\n      errors: [{code: type, colum: x}]\n",
			":5:29: tests[0].expect.errors: unknown key \"colum\" (did you mean column?)"},
		{"unknown source", "tests:\n  - name: a\n    source: order_line\n    rows: [" + ordersRow + "]\n    expect: {errors: []}\n",
			":3:13: test \"a\": the job has no source \"order_line\" (did you mean order_lines?)"},
		{"column not in the header", "tests:\n  - name: a\n    rows: [{Ordrenr: \"1\", Antal: \"2\"}]\n    expect: {errors: []}\n",
			":3:27: column \"Antal\" is not in the header of source order_lines (did you mean Antall?)"},
		{"a cell that is a list", "tests:\n  - name: a\n    rows: [{Ordrenr: [1]}]\n    expect: {errors: []}\n",
			":3:22: column Ordrenr: a cell of a CSV or XLSX source is text"},
		{"two tests of one name", "tests:\n  - name: a\n    rows: [{Ordrenr: \"1\"}]\n    expect: {errors: []}\n  - name: a\n    rows: [{Ordrenr: \"1\"}]\n    expect: {errors: []}\n",
			":5:5: tests[1]: the name \"a\" is also the name of the test on line 2"},
	}
	job := copySample(t, "orders-csv")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeTests(t, job, c.file)
			code, out, errOut := runCLI(t, "test", job)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if want := path + c.want; !strings.Contains(errOut, want) {
				t.Errorf("stderr:\n%s\nwant it to contain:\n%s", errOut, want)
			}
			if strings.Contains(out, "PASS") || strings.Contains(out, "FAIL") {
				t.Errorf("a broken file reported tests:\n%s", out)
			}
		})
	}
}

// TestNoTestFileIsExitTwo: a job without its tests file says which file it looked for.
func TestNoTestFileIsExitTwo(t *testing.T) {
	job := copySample(t, "orders-csv")
	os.Remove(testsFileFor(job))
	code, _, errOut := runCLI(t, "test", job)
	if code != exitUsage || !strings.Contains(errOut, testsFileFor(job)+" does not exist") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
}

// TestCoverageListsWhatNoMappingReadsOrSets: a column no mapping reads, a schema property never
// mapped, and a field the Onix Work request model requires that no property sets are listed
// after the tests, which still pass (exit 0).
func TestCoverageListsWhatNoMappingReadsOrSets(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"lines.csv": "order,line,serial,note\n1,1,S-1,hello\n",
		"line.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}, "line": {"type": "integer"},
			"serial": {"type": "string"}, "batch": {"type": "string"}}}`,
		"job.yaml": `version: 1
name: cover
target: {kind: onixwork, url: "http://127.0.0.1:1", auth: {kind: password, username_env: U, password_env: P}}
sources:
  - {name: lines, file: lines.csv, schema: line.schema.json}
entities:
  - name: items
    source: lines
    endpoint: /v1/order-lines/items
    userObjectId: row.order + "/" + string(row.line)
    properties:
      orderImportId: row.order
      orderLineImportId: row.order + "-" + string(row.line)
      serial: row.serial
`,
		"job.tests.yaml": `tests:
  - name: one line
    rows: [{order: "1", line: "1", serial: S-1, note: hello}]
    expect:
      records:
        - {entity: items, userObjectId: 1/1, status: valid, body: {orderImportId: "1", orderLineImportId: 1-1, serial: S-1}}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI(t, "test", filepath.Join(dir, "job.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	want := `coverage of cover:
  source lines: columns no mapping reads: note
  source lines: schema properties never mapped: batch
  entity items: OrderLineItemsInfo requires items (/v1/order-lines/items), which no property sets
`
	if !strings.HasSuffix(out, want) {
		t.Errorf("stdout:\n%s\nwant it to end with:\n%s", out, want)
	}
}

func TestUnifiedDiff(t *testing.T) {
	cases := []struct{ name, a, b, want string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line changed", "a\nb\nc\n", "a\nx\nc\n", "--- e\n+++ g\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n"},
		{"added at the end", "a\n", "a\nb\n", "--- e\n+++ g\n@@ -1,1 +1,2 @@\n a\n+b\n"},
		{"from nothing", "", "a\n", "--- e\n+++ g\n@@ -0,0 +1,1 @@\n+a\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "x\n2\n3\n4\n5\n6\n7\n8\n9\ny\n",
			"--- e\n+++ g\n@@ -1,4 +1,4 @@\n-1\n+x\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+y\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := unifiedDiff("e", "g", c.a, c.b); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}
