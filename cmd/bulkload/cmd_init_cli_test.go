package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/internal/benchdata"
)

// TestInitGeneratedOrders runs init on the benchmarks' 200,000-row order-lines CSV: the sample
// limit keeps it quick, the comments say how many rows were looked at, every column is typed as
// the generator's own schema types it, and validate runs the job (skipped with -short: a dry
// run of 200,000 rows takes tens of seconds).
func TestInitGeneratedOrders(t *testing.T) {
	gen := t.TempDir()
	if _, err := benchdata.WriteOrderLines(gen, 200000, "csv"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(gen, "init")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "ordrelinjer.csv")
	if err := os.Rename(filepath.Join(gen, "ordrelinjer.csv"), data); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"init", "--target", "onixwork", data}, streams{out: &stdout, err: &stderr}); code != exitOK {
		t.Fatalf("init exit %d; stderr:\n%s", code, stderr.String())
	}
	job := readFile(t, dir, "job.yaml")
	for _, want := range []string{
		"the first 10000 data rows looked at (the file has more)",
		`delimiter: ";"`, "decimal: ','", "thousands: ' '", `date_layouts: ["02.01.2006"]`,
	} {
		if !strings.Contains(job, want) {
			t.Errorf("job.yaml lacks %q:\n%s", want, job)
		}
	}
	want := rowColumns(t, filepath.Join(gen, benchdata.SchemaFile))
	got := rowColumns(t, filepath.Join(dir, "schemas", "ordrelinjer.schema.json"))
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: guessed %q, the generator's schema says %q", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d columns guessed, want %d", len(got), len(want))
	}
	if testing.Short() {
		t.Skip("validate of 200,000 rows skipped with -short")
	}
	validateRuns(t, filepath.Join(dir, "job.yaml"))
}

// TestInitFindsLegacyExport: on a Windows-1252 semicolon CSV with a title above its header,
// decimal commas and dd.mm.yyyy dates, init finds all four (and the header row), and validate
// types every row of it.
func TestInitFindsLegacyExport(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "guess", "testdata", "cp1252-title.csv"), filepath.Join(dir, "export.csv"))
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"init", filepath.Join(dir, "export.csv")}, streams{out: &stdout, err: &stderr}); code != exitOK {
		t.Fatalf("init exit %d; stderr:\n%s", code, stderr.String())
	}
	job := readFile(t, dir, "job.yaml")
	for _, want := range []string{"encoding: windows-1252", `delimiter: ";"`, "decimal: ','", "thousands: '.'",
		`date_layouts: ["02.01.2006"]`, "header_row: 3"} {
		if !strings.Contains(job, want) {
			t.Errorf("job.yaml lacks %q:\n%s", want, job)
		}
	}
	var vout, verr bytes.Buffer
	code := run(t.Context(), []string{"validate", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml")}, streams{out: &vout, err: &verr})
	if code != exitOK || !strings.Contains(vout.String(), "4 (4 valid") {
		t.Fatalf("validate exit %d, want 0 with 4 valid records; stdout:\n%s\nstderr:\n%s", code, vout.String(), verr.String())
	}
	bodies, _ := filepath.Glob(filepath.Join(dir, "run", "payloads", "*.json"))
	if len(bodies) != 1 {
		t.Fatalf("payloads %q, want one batch", bodies)
	}
	payload := readFile(t, filepath.Dir(bodies[0]), filepath.Base(bodies[0]))
	for _, want := range []string{`"dato":"2026-11-03"`, `"beløp":1234500`, `"antall":2.5`, `"levert":true`, `"kunde":"Ærfugl AS"`} {
		if !strings.Contains(payload, want) {
			t.Errorf("payload lacks %s:\n%s", want, payload)
		}
	}
}

// TestInitRefusals: what init refuses, with the message a user sees and the exit code, and that
// it wrote nothing then.
func TestInitRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(dir string) // files beside data.csv before init runs
		args  []string         // after "init"; DIR is the folder of data.csv
		want  string           // on stderr
		code  int
	}{
		{"no file", nil, nil, "bulkload init: no FILE given", exitUsage},
		{"unknown target", nil, []string{"--target", "sap", "DIR/data.csv"}, `--target "sap": want onkey or onixwork`, exitUsage},
		{"bad sample", nil, []string{"--sample", "0", "DIR/data.csv"}, "--sample 0: must be at least 1", exitUsage},
		{"missing file", nil, []string{"DIR/nope.csv"}, "nope.csv: no such file", exitUsage},
		{"outside --out", nil, []string{"--out", "DIR/sub", "DIR/data.csv"}, "data.csv is not inside DIR/sub", exitUsage},
		{"job exists", func(dir string) { write(dir, "job.yaml", "mine") }, []string{"DIR/data.csv"},
			"DIR/job.yaml already exists; nothing was written (--force overwrites)", exitUsage},
		{"schema exists", func(dir string) { write(dir, "schemas/data.schema.json", "mine") }, []string{"DIR/data.csv"},
			"DIR/schemas/data.schema.json already exists", exitUsage},
		{"force overwrites", func(dir string) { write(dir, "job.yaml", "mine") }, []string{"--force", "DIR/data.csv"}, "", exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(dir, "data.csv", "code;qty\nA;1\nB;2\n")
			if tt.setup != nil {
				tt.setup(dir)
			}
			args := []string{"init"}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args, streams{out: &stdout, err: &stderr})
			if code != tt.code || !strings.Contains(stripDir(stderr.String(), dir), tt.want) {
				t.Fatalf("exit %d, want %d; stderr %q, want it to contain %q", code, tt.code, stripDir(stderr.String(), dir), tt.want)
			}
			job, _ := os.ReadFile(filepath.Join(dir, "job.yaml"))
			switch {
			case code == exitOK && !strings.Contains(string(job), "name: data"):
				t.Errorf("job.yaml not written:\n%s", job)
			case code != exitOK && strings.Contains(string(job), "version: 1"):
				t.Errorf("a job was written although init refused")
			}
		})
	}
}

func write(dir, name, content string) {
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		panic(err)
	}
}

// TestInitFixturesValidate: the guess package's clean fixtures, init'ed, validate with every
// record valid (exit 0): the guessed types, locale, layouts and boolean words type every cell.
func TestInitFixturesValidate(t *testing.T) {
	tests := []struct {
		file string
		want []string // in the payload of the first batch: the cells as typed
	}{
		{"cp1252-title.csv", []string{`"beløp":1234500`, `"levert":true`, `"dato":"2026-11-03"`}},
		{"us-bom.csv", []string{`"amount":1234.5`, `"shipped":"2024-12-31"`, `"active":true`}},
		{"tab-ambiguous.tsv", []string{`"when":"2024-02-01"`, `"stamp":"2024-01-02T10:00:00Z"`}},
		{"assets.xlsx", []string{`"bought":"2024-01-02"`, `"inspected":"2024-01-03T01:30:00Z"`, `"inService":true`, `"cost":1250.5`}},
		{"assets.jsonl", []string{`"bought":"2024-01-02"`, `"units":3`, `"parts":[{"No":"S-1"}]`}},
	}
	for _, tt := range tests {
		file := tt.file
		t.Run(file, func(t *testing.T) {
			dir := t.TempDir()
			copyTree(t, filepath.Join("..", "..", "guess", "testdata", file), filepath.Join(dir, file))
			var stdout, stderr bytes.Buffer
			if code := run(t.Context(), []string{"init", filepath.Join(dir, file)}, streams{out: &stdout, err: &stderr}); code != exitOK {
				t.Fatalf("init exit %d; stderr:\n%s", code, stderr.String())
			}
			var vout, verr bytes.Buffer
			code := run(t.Context(), []string{"validate", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml")}, streams{out: &vout, err: &verr})
			if code != exitOK {
				t.Fatalf("validate exit %d, want 0; stdout:\n%s\nstderr:\n%s\nreport:\n%s", code, vout.String(), verr.String(), readFile(t, filepath.Join(dir, "run"), "report.csv"))
			}
			bodies, _ := filepath.Glob(filepath.Join(dir, "run", "payloads", "*.json"))
			if len(bodies) == 0 {
				t.Fatal("no payloads written")
			}
			payload := readFile(t, filepath.Dir(bodies[0]), filepath.Base(bodies[0]))
			for _, w := range tt.want {
				if !strings.Contains(payload, w) {
					t.Errorf("payload lacks %s:\n%s", w, payload)
				}
			}
		})
	}
}

// TestInitSeveralFolders: files in several folders go into one job in the deepest folder that
// holds them all, named relative to it; two files of one name get two sources, whose records'
// keys are told apart by the source's name although their key columns hold the same values.
func TestInitSeveralFolders(t *testing.T) {
	dir := t.TempDir()
	write(dir, "a/data.csv", "code,qty\nA,1\nB,2\n")
	write(dir, "a/b/data.csv", "code;price\nA;1,5\nB;2,25\n")
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"init", filepath.Join(dir, "a", "b", "data.csv"), filepath.Join(dir, "a", "data.csv")}, streams{out: &stdout, err: &stderr})
	if code != exitOK {
		t.Fatalf("init exit %d; stderr:\n%s", code, stderr.String())
	}
	job := readFile(t, filepath.Join(dir, "a"), "job.yaml")
	for _, want := range []string{"- name: data\n    file: b/data.csv\n", "- name: data_2\n    file: data.csv\n",
		"schema: schemas/data.schema.json", "schema: schemas/data_2.schema.json",
		`userObjectId: '"data:" + row.code'`, `userObjectId: '"data_2:" + row.code'`} {
		if !strings.Contains(job, want) {
			t.Errorf("job.yaml lacks %q:\n%s", want, job)
		}
	}
	var vout, verr bytes.Buffer
	code = run(t.Context(), []string{"validate", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "a", "job.yaml")}, streams{out: &vout, err: &verr})
	if code != exitOK || !strings.Contains(vout.String(), "4 (4 valid") {
		t.Fatalf("validate exit %d, want 0 with 4 valid records (the two sources' keys overlap); stdout:\n%s\nstderr:\n%s", code, vout.String(), verr.String())
	}
}
