package pipeline_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// refusedEvery10th leaves the description of every tenth row (3, 13, ...) empty: the sandbox
// refuses those SiteTypes (Core_NotNullValidator).
func refusedEvery10th(i int) string {
	if i%10 == 3 {
		return ""
	}
	return plainDesc(i)
}

// heldByUOID counts the records the sandbox holds per userObjectId, as its inspection endpoint
// GET /_sandbox/records gives them.
func heldByUOID(t *testing.T, sb *sandbox.Server) map[string]int {
	t.Helper()
	resp, err := http.Get(sb.URL() + "/_sandbox/records")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var held []sandbox.Record
	if err := json.NewDecoder(resp.Body).Decode(&held); err != nil {
		t.Fatalf("GET /_sandbox/records: %v", err)
	}
	out := map[string]int{}
	for _, rec := range held {
		if rec.UserObjectID != "" {
			out[rec.UserObjectID]++
		}
	}
	return out
}

// statusCounts is how many records of report.jsonl have each status, and the userObjectIds of
// those with status succeeded.
func statusCounts(t *testing.T, dir string) (map[string]int, map[string]bool) {
	t.Helper()
	counts, ok := map[string]int{}, map[string]bool{}
	for uoid, l := range reportByUOID(t, dir) {
		s := fmt.Sprint(l["status"])
		counts[s]++
		if s == string(record.Succeeded) {
			ok[uoid] = true
		}
	}
	return counts, ok
}

// A job of 50 SiteType Creates, 5 of them refused, against a sandbox answering PerRecord imports
// and exists checks in each shape it knows. Whatever the shape: no refused record is reported
// succeeded; what the answer does not say is unknown, or settled by an exists check the sandbox
// answers in a shape bulkload knows (a check of an unknown shape settles nothing, and the
// Create is not sent again); and after --resume the sandbox holds every record at most once.
func TestAnswerShapesRun(t *testing.T) {
	const n = 50
	tests := []struct {
		name    string
		answers sandbox.Answers
		want    map[string]int // report statuses after the run
	}{
		// Read from the import answer: no exists check.
		{"per-record results", sandbox.Answers{}, map[string]int{"succeeded": 45, "failed": 5}},
		{"empty body", sandbox.Answers{PerRecord: "empty"}, map[string]int{"succeeded": 45, "failed": 5}},
		{"204", sandbox.Answers{PerRecord: "204"}, map[string]int{"succeeded": 45, "failed": 5}},
		{"messages", sandbox.Answers{PerRecord: "messages"}, map[string]int{"succeeded": 45, "failed": 5}},
		{"items wrapper", sandbox.Answers{PerRecord: "items"}, map[string]int{"succeeded": 45, "failed": 5}},
		// Unknown at first (marked *): the end of the group looks them up, and the refused ones
		// are found absent, sent once more, and stay pending.
		{"*unknown object", sandbox.Answers{PerRecord: "object"}, map[string]int{"succeeded": 45, "pending": 5}},
		{"*unknown status word", sandbox.Answers{PerRecord: "status_word"}, map[string]int{"succeeded": 45, "failed": 5}},
		{"*exists by count and ids", sandbox.Answers{PerRecord: "object", Exists: "count"}, map[string]int{"succeeded": 45, "pending": 5}},
		{"*exists in an items wrapper", sandbox.Answers{PerRecord: "object", Exists: "items"}, map[string]int{"succeeded": 45, "pending": 5}},
		{"exists of an unknown shape", sandbox.Answers{PerRecord: "object", Exists: "unknown"}, map[string]int{"unknown": 50}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			cfg.Answers = tc.answers
			r := runJobOnSandbox(t, createsJob, cfg, n, 10, 2, "PerRecord", refusedEvery10th, nil)
			if r.err != nil {
				t.Fatal(r.err)
			}
			check := func(when string) {
				t.Helper()
				counts, ok := statusCounts(t, r.dir)
				for i := 3; i <= n; i += 10 {
					if uoid := fmt.Sprintf("T%05d", i); ok[uoid] {
						t.Errorf("%s: the refused %s is reported succeeded", when, uoid)
					}
				}
				for uoid, k := range heldByUOID(t, r.sb) {
					if k > 1 {
						t.Errorf("%s: the sandbox holds %s %d times", when, uoid, k)
					}
				}
				for uoid := range ok {
					if heldByUOID(t, r.sb)[uoid] != 1 {
						t.Errorf("%s: %s is reported succeeded, and the sandbox does not hold it", when, uoid)
					}
				}
				if when == "run" && fmt.Sprint(counts) != fmt.Sprint(tc.want) {
					t.Errorf("report after the run: %v, want %v", counts, tc.want)
				}
			}
			check("run")
			reconciled := 0
			for _, l := range reportByUOID(t, r.dir) {
				if strings.Contains(fmt.Sprint(l["errors"]), "reconciled") {
					reconciled++
				}
			}
			if want := map[bool]int{true: 45}[strings.HasPrefix(tc.name, "*")]; reconciled != want {
				t.Errorf("%d records settled by an exists check, want %d", reconciled, want)
			}
			imports := countImports(r.sb)
			if _, err := resume(t, r, pipeline.ResumeOptions{}); err != nil {
				t.Fatal(err)
			}
			check("resume")
			if tc.want["unknown"] > 0 && countImports(r.sb) != imports {
				t.Errorf("the resume sent %d imports; unknown Creates whose check settles nothing must not be sent again", countImports(r.sb)-imports)
			}
			if tc.want["unknown"] > 0 {
				for uoid, l := range reportByUOID(t, r.dir) {
					if msg := fmt.Sprint(l["errors"]); !strings.Contains(msg, "settles nothing") || !strings.Contains(msg, `"found":true`) && !strings.Contains(msg, `"found":false`) || !strings.Contains(msg, `{"status":"done"}`) {
						t.Errorf("%s: %v %s; want it to quote the import answer and say the check settles nothing, quoting its answer", uoid, l["status"], msg)
						break
					}
				}
			}
		})
	}
}

// countImports is how many import requests the sandbox received.
func countImports(sb *sandbox.Server) int {
	n := 0
	for _, q := range sb.Requests() {
		if strings.Contains(strings.ToLower(q.Path), "/imports") {
			n++
		}
	}
	return n
}
