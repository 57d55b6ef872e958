package pipeline_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/spec"
)

// ordersJob is an Onix Work job over orders.csv: an order per distinct order number (reading
// order_no, date and customer), a line per row (reading order_no, line and qty). The column
// "note" is read by neither.
const ordersJob = `version: 1
name: orders
target: {kind: onixwork, url: "http://127.0.0.1:1"}
sources:
  - name: lines
    file: orders.csv
    schema: row.schema.json
    typing: {date_layouts: ["02.01.2006"]}
lookups:
  - {name: units, file: units.csv, key: code, value: name}
entities:
  - name: order
    source: lines
    endpoint: /v1/orders
    userObjectId: '"O" + row.order_no'
    distinct: true
    properties:
      orderImportId: row.order_no
      erpOrderDate: row.date
      customerExternalId: row.customer
  - name: line
    source: lines
    endpoint: /v1/order-lines
    userObjectId: '"O" + row.order_no + "/" + string(row.line)'
    parent: {entity: order, userObjectId: '"O" + row.order_no'}
    properties:
      orderImportId: row.order_no
      quantity: row.qty
      unit: lookup("units", row.unit)
`

const ordersSchema = `{"type": "object", "required": ["order_no", "line"], "properties": {
  "order_no": {"type": "string"}, "date": {"type": "string", "format": "date"},
  "customer": {"type": "string"}, "line": {"type": "integer"}, "qty": {"type": "number", "minimum": 1},
  "unit": {"type": "string"}, "note": {"type": "string", "maxLength": 5}}}`

const units = "code,name\npcs,pieces\nl,litres\n"

// TestDryRunReport runs small jobs through the dry run and checks report.jsonl line by line:
// which records a problem invalidates, and what the report says about it.
func TestDryRunReport(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []string // "userObjectId status: message | message"
	}{
		{
			name: "all valid",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,2,pcs,\n1,03.11.2026,K1,2,1.5,l,\n",
			want: []string{"O1 valid", "O1/1 valid", "O1/2 valid"},
		},
		{
			name: "a bad cell only the line reads invalidates the line, not its order",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,x,pcs,\n1,03.11.2026,K1,2,0,l,\n1,03.11.2026,K1,3,1,l,\n",
			want: []string{
				"O1 valid",
				`O1/1 invalid: orders.csv:2:qty: "x" is not a number (decimal separator ".")`,
				"O1/2 invalid: orders.csv:3:qty: must be >= 1 but is 0",
				"O1/3 valid",
			},
		},
		{
			name: "a bad cell only the order reads invalidates the order and skips its lines",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,31.02.2026,K1,1,1,pcs,\n2,01.02.2026,K2,1,1,pcs,\n",
			want: []string{
				`O1 invalid: orders.csv:2:date: "31.02.2026" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)`,
				`O1/1 skipped: parent: parent "O1" is invalid`,
				"O2 valid", "O2/1 valid",
			},
		},
		{
			name: "a bad cell no mapping reads invalidates every record of its row",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,1,pcs,too long\n",
			want: []string{
				"O1 invalid: orders.csv:2:note: length must be <= 5 but is 8",
				"O1/1 invalid: orders.csv:2:note: length must be <= 5 but is 8",
			},
		},
		{
			name: "a ragged row invalidates every record of its row",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,1,pcs\n",
			want: []string{
				"O1 invalid: orders.csv:2: has 6 fields, the header has 7",
				"O1/1 invalid: orders.csv:2: has 6 fields, the header has 7",
			},
		},
		{
			name: "a failing mapping invalidates its record only",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,1,kg,\n1,03.11.2026,K1,2,1,pcs,\n",
			want: []string{"O1 valid", `O1/1 invalid: orders.csv:2: properties.unit: lookup "units": no row with key "kg" in units.csv`, "O1/2 valid"},
		},
		{
			name: "rows of one order that disagree make it invalid, naming the rows",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,1,pcs,\n1,03.11.2026,K9,2,1,pcs,\n",
			want: []string{
				`O1 invalid: customerExternalId: rows disagree on customerExternalId: orders.csv:2 has "K1", orders.csv:3 has "K9"`,
				`O1/1 skipped: parent: parent "O1" is invalid`,
				`O1/2 skipped: parent: parent "O1" is invalid`,
			},
		},
		{
			name: "a duplicate userObjectId makes both records invalid",
			csv:  "order_no,date,customer,line,qty,unit,note\n1,03.11.2026,K1,1,1,pcs,\n1,03.11.2026,K1,1,2,pcs,\n1,03.11.2026,K1,2,2,pcs,\n",
			want: []string{
				"O1 valid",
				`O1/1 invalid: userObjectId: userObjectId "O1/1" is also produced by orders.csv:3`,
				`O1/1 invalid: userObjectId: userObjectId "O1/1" is also produced by orders.csv:2`,
				"O1/2 valid",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := dryRun(t, map[string]string{"job.yaml": ordersJob, "row.schema.json": ordersSchema,
				"units.csv": units, "orders.csv": tc.csv})
			got := reportLines(t, out.RunDir)
			if !slices.Equal(got, tc.want) {
				t.Errorf("report.jsonl:\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(tc.want, "\n      "))
			}
		})
	}
}

// dryRun writes files into a job folder (dir[0], or a new temporary one) and dry-runs its
// job.yaml. An empty content leaves a file the caller wrote as it is.
func dryRun(t *testing.T, files map[string]string, dir ...string) *pipeline.Outcome {
	t.Helper()
	folder := t.TempDir()
	if len(dir) > 0 {
		folder = dir[0]
	}
	for name, content := range files {
		if content == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(folder, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(folder, "job.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.DryRun(t.Context(), job, pipeline.Options{RunDir: filepath.Join(folder, "run")})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reportLines renders report.jsonl as "userObjectId status: message | message".
func reportLines(t *testing.T, runDir string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(runDir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct {
			UserObjectID string           `json:"userObjectId"`
			Status       string           `json:"status"`
			Errors       []record.Message `json:"errors"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, e := range l.Errors {
			msgs = append(msgs, e.String())
		}
		s := l.UserObjectID + " " + l.Status
		if len(msgs) > 0 {
			s += ": " + strings.Join(msgs, " | ")
		}
		lines = append(lines, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// A source's limits reach its reader: with cell_size 16, a row whose cell is longer is invalid,
// naming the cell and the limit, and the other rows are not.
func TestSourceLimits(t *testing.T) {
	job := strings.Replace(ordersJob, "    typing: {date_layouts: [\"02.01.2006\"]}\n",
		"    typing: {date_layouts: [\"02.01.2006\"]}\n    limits: {cell_size: 16}\n", 1)
	out := dryRun(t, map[string]string{"job.yaml": job, "row.schema.json": ordersSchema, "units.csv": units,
		"orders.csv": "order_no,date,customer,line,qty,unit,note\n" +
			"A1,01.02.2024,K-1,1,2,pcs,ok\n" +
			"A2,01.02.2024,a-customer-name-of-40-characters-or-so,1,2,pcs,ok\n"})
	lines := reportLines(t, out.RunDir)
	for _, want := range []string{"OA1 valid", "OA1/1 valid",
		"OA2 invalid: orders.csv:3:customer: the cell holds 38 bytes, more than the 16 bytes limit for one cell"} {
		if !slices.Contains(lines, want) {
			t.Errorf("report lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}

// Runs of one job started within the same millisecond each get a run directory of their own,
// created empty beside the spec, at the next free millisecond.
func TestNewRunDirIsNeverShared(t *testing.T) {
	job := &spec.Job{Name: "sites", Dir: t.TempDir()}
	job.Report.Dir = "runs"
	started := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	var got []string
	for range 3 {
		dir, err := rundir.New(job, started)
		if err != nil {
			t.Fatal(err)
		}
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Errorf("%s: %d entries, %v; want a new empty directory", dir, len(entries), err)
		}
		got = append(got, strings.TrimPrefix(dir, job.Dir+string(filepath.Separator)))
	}
	want := []string{"runs/sites-20261126T060000.000Z", "runs/sites-20261126T060000.001Z", "runs/sites-20261126T060000.002Z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("run directories %q, want %q", got, want)
	}
}
