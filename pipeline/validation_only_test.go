package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/report"
)

const peopleSchema = `{"type": "object", "required": ["id", "name"], "properties": {
  "id": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1},
  "born": {"type": "string", "format": "date"}}}`

// TestValidationOnlyDryRun: a job without target and entities reports each row as one record,
// keyed <source>:<line> (with the file and JSON pointer for a folder of documents), valid or
// invalid with its cells' problems, and writes a fix file of the invalid rows but no payloads.
func TestValidationOnlyDryRun(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		dirs    []string
		want    []string
		fix     string // the fix file's name and its first two lines
		fixHead string
	}{
		{
			name: "csv",
			files: map[string]string{
				"job.yaml":           "version: 1\nname: people\nsources:\n  - {name: people, file: people.csv, schema: people.schema.json}\n",
				"people.schema.json": peopleSchema,
				"people.csv":         "id,name,born\n1,Ada,1815-12-10\nx,Grace,1906-12-09\n3,,1969-12-28\n4,Ken,1943-02-31\n",
			},
			want: []string{
				"people:2 valid",
				`people:3 invalid: people.csv:3:id: "x" is not an integer`,
				"people:4 invalid: people.csv:4:name: name is missing",
				`people:5 invalid: people.csv:5:born: "1943-02-31" is not a date (expected YYYY-MM-DD)`,
			},
			fix: "people.csv", fixHead: "id,name,born,bulkload_errors,bulkload_origin\nx,Grace,1906-12-09,\"people.csv:3:id: \"\"x\"\" is not an integer\",people.csv:3\n3,,1969-12-28,",
		},
		{
			name: "json folder",
			dirs: []string{"docs"},
			files: map[string]string{
				"job.yaml":           "version: 1\nname: people\nsources:\n  - {name: people, file: docs, schema: people.schema.json}\n",
				"people.schema.json": peopleSchema,
				"docs/a.json":        `[{"id": 1, "name": "Ada"}, {"id": 0, "name": "Grace"}]`,
				"docs/b.json":        `{"id": 3, "name": "Ken"}`,
			},
			want: []string{
				"people:docs/a.json:1 valid",
				"people:docs/a.json:2 invalid: docs/a.json:2/id: must be >= 1 but is 0",
				"people:docs/b.json:1 valid",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, d := range tt.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			out := dryRun(t, tt.files, dir)
			if got := reportLines(t, out.RunDir); !slices.Equal(got, tt.want) {
				t.Errorf("report.jsonl:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			sum := out.Summary
			if sum.Payloads != nil {
				t.Errorf("summary has payloads %+v; a validation-only job sends nothing", sum.Payloads)
			}
			if _, err := os.Stat(filepath.Join(out.RunDir, report.PayloadsDir)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("payloads/ written (stat: %v)", err)
			}
			if u := sum.Sources["people"].UnusedColumns; len(u) > 0 {
				t.Errorf("unused columns %v: every column of a validation-only job is checked, none dropped", u)
			}
			if tt.fix != "" {
				b, err := os.ReadFile(filepath.Join(out.RunDir, "fix", tt.fix))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(strings.ReplaceAll(string(b), "\r\n", "\n"), tt.fixHead) {
					t.Errorf("fix file starts:\n%.120s\nwant:\n%s", b, tt.fixHead)
				}
			}
		})
	}
}

// TestValidationOnlyRunRefused: Run and Resume refuse a job without entities before they make
// a run directory, saying what to add.
func TestValidationOnlyRunRefused(t *testing.T) {
	job, runDir := loadFiles(t, map[string]string{
		"job.yaml":           "version: 1\nname: people\nsources:\n  - {name: people, file: people.csv, schema: people.schema.json}\n",
		"people.schema.json": peopleSchema,
		"people.csv":         "id,name\n1,Ada\n",
	}, nil, nil)
	const want = "job people has no target and no entities, so it can only be validated"
	calls := map[string]func() error{
		"run": func() error {
			_, err := pipeline.Run(t.Context(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: runDir}})
			return err
		},
		"resume": func() error {
			_, err := pipeline.Resume(t.Context(), job, runDir, pipeline.ResumeOptions{})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var setup *pipeline.SetupError
			if !errors.As(err, &setup) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "add a target:") {
				t.Fatalf("err = %v, want a SetupError saying %q and what to add", err, want)
			}
			if _, err := os.Stat(runDir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("run directory made (stat: %v)", err)
			}
		})
	}
}
