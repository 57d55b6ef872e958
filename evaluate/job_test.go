package evaluate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// ordersJob maps each row of lines.csv to an Onix Work order (one per order number, distinct)
// and a line whose orderId is its order's id, and each row of notes.csv to nothing of its own:
// notes are a validation of their own source. QTY is the line's quantity expression.
const ordersJob = `version: 1
name: orders
target: {kind: onixwork, url: "http://127.0.0.1:1", auth: {kind: password, username_env: U, password_env: P}}
sources:
  - {name: lines, file: lines.csv, schema: line.schema.json}
  - {name: notes, file: notes.csv, schema: note.schema.json}
entities:
  - name: order
    source: lines
    endpoint: /v1/orders
    userObjectId: '"O" + row.order'
    distinct: true
    properties: {orderImportId: row.order, source: '"bulkload"', erpOrderDate: '"2026-11-26"', customerExternalId: '"K-1001"'}
  - name: line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"O" + row.order + "/" + row.line'
    parent: {entity: order, userObjectId: '"O" + row.order'}
    properties: {orderId: parent.id, orderLineImportId: 'row.order + "-" + row.line', type: '"Stock"', productName: '"Bolt"', quantity: QTY}
  - name: note
    source: notes
    endpoint: /v1/order-lines/properties
    userObjectId: '"N" + row.note'
    properties: {orderLineImportId: row.note, properties: '[]'}
`

// writeJob writes ordersJob with lines lines (order i/5 + 1, line i) and notes notes, and loads
// it. The line's quantity is qty ("row.qty" when empty).
func writeJob(t *testing.T, lines, notes int, qty string) *spec.Job {
	t.Helper()
	if qty == "" {
		qty = "row.qty"
	}
	dir := t.TempDir()
	var l, n strings.Builder
	l.WriteString("order,line,qty\n")
	for i := 1; i <= lines; i++ {
		q := "2"
		if i%7 == 0 {
			q = "0" // below the minimum: invalid
		}
		fmt.Fprintf(&l, "%d,%d,%s\n", i/5+1, i, q)
	}
	n.WriteString("note\n")
	for i := 1; i <= notes; i++ {
		fmt.Fprintf(&n, "%d\n", i)
	}
	files := map[string]string{
		"job.yaml":  strings.Replace(ordersJob, "QTY", qty, 1),
		"lines.csv": l.String(),
		"notes.csv": n.String(),
		"line.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}, "line": {"type": "string"},
			"qty": {"type": "integer", "minimum": 1}}}`,
		"note.schema.json": `{"type": "object", "properties": {"note": {"type": "string"}}}`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// prepared is Prepare of job, closed when the test ends.
func prepared(t *testing.T, job *spec.Job) *Job {
	t.Helper()
	j, err := Prepare(job)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}
