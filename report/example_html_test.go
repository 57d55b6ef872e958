package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/bulkload/bulkload/report"
)

// A dry run writes report.html once every record has its status: the job from the spec, a
// SourceFile per source, a Tally per (source, entity, group, status) count of the run store, and
// the findings of the records that are not valid.
func ExampleWriteHTML() {
	runDir, err := os.MkdirTemp("", "run")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(runDir)
	started := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	p := report.Page{
		Job: "orders", Spec: "orders.yaml", Mode: "dry-run", Started: started, Finished: started.Add(4 * time.Second),
		Files: []report.SourceFile{{Source: "orders", File: "orders.csv", Rows: 3}},
		Counts: []report.Tally{
			{Source: "orders", Entity: "order", Status: "valid", Records: 2},
			{Source: "orders", Entity: "order", Status: "invalid", Records: 1},
		},
		Findings: []report.Finding{{
			Source: "orders", File: "orders.csv", Line: 3, Column: "qty", Index: 2,
			Cell: "orders.csv:3:qty", Value: "ten", Entity: "order", UserObjectID: "O-2",
			Status: "invalid", Code: "type", Text: "not an integer: ten",
		}},
	}
	if err := report.WriteHTML(filepath.Join(runDir, "report.html"), p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("wrote report.html")
	// Output: wrote report.html
}
