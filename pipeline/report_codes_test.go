package pipeline_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/sandbox"
)

// reportCSVErrors reads report.csv of runDir: the errors cell of each record, by userObjectId,
// for the records whose status is status.
func reportCSVErrors(t *testing.T, runDir, status string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(runDir, report.ReportCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		if r[col["status"]] == status {
			out[r[col["userObjectId"]]] = r[col["errors"]]
		}
	}
	return out
}

// jsonlCells is, by userObjectId, what report.csv's errors cell should say of report.jsonl's
// messages: one line each, "[code] where: text".
func jsonlCells(t *testing.T, runDir string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(runDir, report.ReportJSONL))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var l struct {
			UserObjectID string           `json:"userObjectId"`
			Errors       []record.Message `json:"errors"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, m := range l.Errors {
			if m.Code == "" {
				t.Errorf("%s: report.jsonl message without a code: %+v", l.UserObjectID, m)
			}
			parts = append(parts, "["+m.Code+"] "+m.String())
		}
		out[l.UserObjectID] = strings.Join(parts, "\n")
	}
	return out
}

// Every failed record's errors cell in report.csv starts each message with the server's code,
// for On Key (a currency the sandbox does not know) and Onix Work (a customer it does not know);
// an Onix Work field error names its cell, column and value once.
func TestReportCSVShowsServerCodes(t *testing.T) {
	badCurrency := func(i int) bool { return i%5 == 0 }
	tests := []struct {
		name  string
		run   func(t *testing.T) sandboxRun
		fails int
		want  func(uoid, cell string) bool // whether the cell is right
	}{
		{name: "On Key", fails: 2, run: func(t *testing.T) sandboxRun {
			return runSites(t, sandbox.DefaultConfig(), 10, 5, 2, "PerRecord", plainDesc, badCurrency)
		}, want: func(uoid, cell string) bool {
			return strings.HasPrefix(cell, "[Core_")
		}},
		{name: "Onix Work", fails: 2, run: func(t *testing.T) sandboxRun {
			return runOrders(t, sandbox.DefaultConfig(), 10, 1, badCurrency)
		}, want: func(uoid, cell string) bool {
			return strings.HasPrefix(cell, "[logic] lines.csv:") && strings.Count(cell, `:customer "K-BAD": `) == 1
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.run(t)
			if r.err != nil {
				t.Fatal(r.err)
			}
			cells := reportCSVErrors(t, r.dir, string(record.Failed))
			if len(cells) != tc.fails {
				t.Fatalf("%d failed records in report.csv, want %d: %v", len(cells), tc.fails, cells)
			}
			want := jsonlCells(t, r.dir)
			for uoid, cell := range cells {
				if !tc.want(uoid, cell) {
					t.Errorf("%s: errors cell %q", uoid, cell)
				}
				if cell != want[uoid] {
					t.Errorf("%s: report.csv errors %q, want %q (report.jsonl's messages with their codes)", uoid, cell, want[uoid])
				}
			}
		})
	}
}
