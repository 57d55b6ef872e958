package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// During a run a child is mapped again from the typed row its evaluation kept, not from the row
// the store holds: a stored row that cannot be read does not matter then, and does for a
// resumed run, which has only the store's.
func TestRemapPrefersTheKeptRow(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"job.yaml": `version: 1
name: lines
target: {kind: onixwork, url: "http://127.0.0.1:1", auth: {kind: password, username_env: U, password_env: P}}
sources: [{name: lines, file: lines.csv, schema: row.schema.json}]
entities:
  - name: line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"L" + row.line'
    properties: {orderId: parent.id, orderLineImportId: row.line, type: '"Stock"', productName: '"Bolt"', quantity: 1}
`,
		"lines.csv":       "line\n1\n",
		"row.schema.json": `{"type": "object", "properties": {"line": {"type": "string"}}}`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := evaluate.Compile(job)
	if err != nil {
		t.Fatal(err)
	}
	e := compiled.Source("lines").Evaluate(readers.Row{Origin: readers.Origin{File: "lines.csv", Line: 2},
		Columns: []string{"line"}, Values: []any{"1"}})[0]
	if e.Remap == nil {
		t.Fatal("no row kept for a mapping that reads parent.id")
	}
	kept := evaluate.Rows{}
	kept.Keep(e)
	child := record.Entry{Entity: "line", UserObjectID: "L1", Status: record.Pending, Env: []byte("not JSON")}
	parent := record.Outcome{ServerID: "42"}
	for _, tc := range []struct {
		name   string
		ev     *evaluated
		status record.Status
		body   string
	}{
		{"a run", &evaluated{job: job, remapper: compiled.Remapper(), rows: kept},
			record.Pending, `{"orderId":42,"orderLineImportId":"1","type":"Stock","productName":"Bolt","quantity":1}`},
		{"a resumed run, from an unreadable stored row", &evaluated{job: job}, record.Failed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			remap, err := tc.ev.remap()
			if err != nil {
				t.Fatal(err)
			}
			if got := remap(child, "O1", parent); got.Status != tc.status || string(got.Body) != tc.body {
				t.Errorf("remapped to %s %s, %v; want %s %s", got.Status, got.Body, got.Messages, tc.status, tc.body)
			}
		})
	}
}
