package transforms

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// writeJob writes a job spec and the files it names into a temporary folder and loads it.
func writeJob(t *testing.T, yaml string, files map[string]string) *spec.Job {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	job, err := spec.Load(path, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("spec.Load: %v", err)
	}
	return job
}

const rowSchema = `{"type": "object", "properties": {}}`

// badJob has one problem per expression; each line's comment says what Compile must report.
const badJob = `version: 1
name: bad
target:
  kind: onixwork
  url: http://127.0.0.1:1
  auth:
    kind: none
sources:
  - name: s
    file: rows.csv
    schema: row.schema.json
lookups:
  - name: products
    file: products.csv
entities:
  - name: e
    source: s
    endpoint: /v1/e
    userObjectId: sap_id
    when: 'row.a == "x" ||'
    properties:
      code: shout(row.code)
      good: trim(row.x)
      kind: lookup("prodcts", row.p)
      re: regex_match(row.x, "([a-z")
      count: trim(row.x, 1, 2)
  - name: f
    source: s
    endpoint: /v1/f
    userObjectId: '"F" + row.id'
    when: string(row.x)
    properties:
      nested:
        deep: |
          row.a +
            nope
`

func TestCompileErrors(t *testing.T) {
	job := writeJob(t, badJob, map[string]string{"rows.csv": "a\n1\n", "row.schema.json": rowSchema,
		"products.csv": "produkt,type\nSkuffe,Unique\n"})
	_, err := Compile(job)
	var errs spec.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Compile: %v, want spec.Errors", err)
	}
	file := job.File
	want := []string{
		file + `:19:19: entities[0].userObjectId: unknown name sap_id (column 1 of the expression)`,
		file + `:20:11: entities[0].when: unexpected token EOF (column 15 of the expression)`,
		file + `:22:13: entities[0].properties.code: unknown name shout (column 1 of the expression)`,
		file + `:24:13: entities[0].properties.kind: lookup: no lookup table named "prodcts" (declared: products) (column 8 of the expression)`,
		file + ":25:11: entities[0].properties.re: regex_match: error parsing regexp: missing closing ]: `[a-z` (column 20 of the expression)",
		file + `:26:14: entities[0].properties.count: too many arguments to call trim (column 1 of the expression)`,
		file + `:31:11: entities[1].when: must give a boolean (true or false); this expression gives text`,
		file + `:34:15: entities[1].properties.nested.deep: unknown name nope (line 2, column 3 of the expression)`,
	}
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCompileSamples(t *testing.T) {
	for _, path := range []string{"../samples/orders-csv/job.yaml", "../samples/onkey-sites/job.yaml"} {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			job, err := spec.Load(path, func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatalf("spec.Load: %v", err)
			}
			ms := mustCompile(t, job)
			if len(ms.All()) != len(job.Entities) {
				t.Fatalf("%d mappings for %d entities", len(ms.All()), len(job.Entities))
			}
		})
	}
}

func TestWhere(t *testing.T) {
	tests := []struct {
		name, src string
		offset    int
		want      string
	}{
		{"start", "abc", 0, "column 1"},
		{"runes", "ø + x", 4, "column 5"},
		{"second line", "a +\n  b", 6, "line 2, column 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := where(tc.src, tc.offset); got != tc.want {
				t.Fatalf("where(%q, %d) = %q, want %q", tc.src, tc.offset, got, tc.want)
			}
		})
	}
}

func TestCompileTypeChecks(t *testing.T) {
	at := spec.Pos{Line: 3, Col: 7}
	tests := []struct {
		name   string
		entity spec.Entity
		want   string
	}{
		{name: "literal when", entity: spec.Entity{When: &spec.Value{Literal: 5, Pos: at}},
			want: "job.yaml:3:7: entities[0].when: must be true, false or a boolean expression"},
		{name: "null when", entity: spec.Entity{When: &spec.Value{IsNull: true, Pos: at}},
			want: "job.yaml:3:7: entities[0].when: must be true, false or a boolean expression"},
		{name: "boolean key", entity: spec.Entity{UserObjectID: &spec.Value{Expr: "row.a == 1", Pos: at}},
			want: "job.yaml:3:7: entities[0].userObjectId: must give text or an integer; this expression gives a boolean"},
		{name: "key of unknown type passes", entity: spec.Entity{UserObjectID: &spec.Value{Expr: `split(row.a, ",") ?? [1]`, Pos: at}},
			want: ""},
		{name: "unknown variable in parent key", entity: spec.Entity{Parent: &spec.ParentRef{Entity: "p", UserObjectID: &spec.Value{Expr: "rows.a", Pos: at}}},
			want: "job.yaml:3:7: entities[0].parent.userObjectId: unknown name rows (column 1 of the expression)"},
		{name: "id and array items", entity: spec.Entity{ID: &spec.Value{Expr: "code(", Pos: at},
			Properties: obj("list", &spec.Value{IsArray: true, Items: []*spec.Value{{Expr: "1"}, {Expr: "nope", Pos: spec.Pos{Line: 9, Col: 9}}}})},
			want: "job.yaml:3:7: entities[0].id: unexpected token EOF (column 5 of the expression)\n" +
				"job.yaml:9:9: entities[0].properties.list[1]: unknown name nope (column 1 of the expression)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.entity
			e.Name = "e"
			if e.UserObjectID == nil {
				e.UserObjectID = ex(`"k"`)
			}
			_, err := Compile(&spec.Job{File: "job.yaml", Target: spec.Target{Kind: spec.OnKey}, Entities: []spec.Entity{e}})
			if got := errText(err); got != tc.want {
				t.Fatalf("err =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
