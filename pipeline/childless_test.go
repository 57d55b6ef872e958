package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// childlessJob has orders from orders.csv and their lines from lines.csv; a line's quantity
// must be at least 1. SEND is send_without_children of the order entity.
const childlessJob = `version: 1
name: childless
target: {kind: onixwork, url: "${SANDBOX_URL:-http://127.0.0.1:1}", auth: {kind: password, username_env: U, password_env: P}}
submit: {concurrency: 2, retries: 2}
sources:
  - {name: orders, file: orders.csv, schema: order.schema.json}
  - {name: lines, file: lines.csv, schema: line.schema.json}
entities:
  - name: order
    source: orders
    endpoint: /v1/orders
    userObjectId: '"O" + row.order'
    send_without_children: SEND
    properties: {orderImportId: row.order, source: '"bulkload"', erpOrderDate: '"2026-11-26"', customerExternalId: '"K-1001"'}
  - name: order_line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"O" + row.order + "/" + row.line'
    parent: {entity: order, userObjectId: '"O" + row.order'}
    properties: {orderImportId: row.order, orderLineImportId: 'row.order + "-" + row.line', type: '"Stock"', productName: '"Bolt"', quantity: row.qty}
`

// childlessFiles: order 1's three lines are all invalid, order 2 has one good line of two,
// order 3 only good lines, and order 4 no line rows at all.
func childlessFiles(send bool) map[string]string {
	return map[string]string{
		"job.yaml":          strings.Replace(childlessJob, "SEND", fmt.Sprint(send), 1),
		"orders.csv":        "order\n1\n2\n3\n4\n",
		"lines.csv":         "order,line,qty\n1,1,0\n1,2,0\n1,3,x\n2,1,0\n2,2,1\n3,1,2\n",
		"order.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}}}`,
		"line.schema.json": `{"type": "object", "properties": {"order": {"type": "string"}, "line": {"type": "string"},
			"qty": {"type": "integer", "minimum": 1}}}`,
	}
}

// The statuses of the orders: O1, whose lines are all invalid, is skipped saying why unless
// send_without_children; O4, which has no lines, is valid either way.
var childlessCases = []struct {
	send bool
	want []string // the orders' report lines, in order
}{
	{false, []string{
		"O1 skipped: all 3 of its order lines are invalid (send_without_children: true on its entity sends it anyway)",
		"O2 valid", "O3 valid", "O4 valid"}},
	{true, []string{"O1 valid", "O2 valid", "O3 valid", "O4 valid"}},
}

func TestChildlessOrderDryRun(t *testing.T) {
	for _, c := range childlessCases {
		t.Run(fmt.Sprintf("send_without_children=%v", c.send), func(t *testing.T) {
			out := dryRun(t, childlessFiles(c.send))
			var orders []string
			for _, l := range reportLines(t, out.RunDir) {
				if !strings.Contains(strings.Fields(l)[0], "/") {
					orders = append(orders, l)
				}
			}
			if !slices.Equal(orders, c.want) {
				t.Errorf("orders:\n%s\nwant:\n%s", strings.Join(orders, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// In a run the sandbox receives no order whose lines are all invalid, unless
// send_without_children; the order without line rows is created.
func TestChildlessOrderRun(t *testing.T) {
	for _, c := range childlessCases {
		t.Run(fmt.Sprintf("send_without_children=%v", c.send), func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			r := runOnSandbox(t, cfg, childlessFiles(c.send), map[string]string{"U": "sandbox", "P": cfg.OnixWork.Users["sandbox"]})
			if r.err != nil {
				t.Fatal(r.err)
			}
			var got []string
			for _, o := range r.sb.OnixOrders() {
				got = append(got, fmt.Sprint(o.Fields["orderImportId"]))
			}
			slices.Sort(got)
			want := []string{"2", "3", "4"}
			if c.send {
				want = []string{"1", "2", "3", "4"}
			}
			if !slices.Equal(got, want) {
				t.Errorf("the sandbox holds orders %v, want %v", got, want)
			}
			if n := len(r.sb.OnixOrderLines()); n != 2 {
				t.Errorf("the sandbox holds %d order lines, want 2 (2/2 and 3/1)", n)
			}
			rep := reportByUOID(t, r.dir)
			wantO1 := "skipped"
			if c.send {
				wantO1 = "succeeded"
			}
			if got := rep["O1"]["status"]; got != wantO1 {
				t.Errorf("O1 is %v, want %s", got, wantO1)
			}
		})
	}
}

// send_without_children in an On Key job is refused, naming where: it applies to Onix Work.
func TestSendWithoutChildrenOnKeyRefused(t *testing.T) {
	dir := t.TempDir()
	job := strings.Replace(depsJob, "    groupOrder: 1\n", "    groupOrder: 1\n    send_without_children: true\n", 1)
	if err := os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(job), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "send_without_children: applies to Onix Work targets only") {
		t.Errorf("loading: %v; want send_without_children refused for On Key", err)
	}
}
