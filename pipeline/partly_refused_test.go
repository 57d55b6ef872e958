package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/targets/onkey"
)

// One PerRecord request of 50 Creates, 2 of them refused, answered 400 with a notification
// naming only those 2 while the sandbox applies the other 48: the 2 fail with their code, the 48
// are settled by an exists check to succeeded with the sandbox's ids, nothing is sent twice.
// AllOrNone keeps failing them all.
func TestPartlyRefusedPerRecord(t *testing.T) {
	refused := func(i int) string {
		if i == 7 || i == 30 {
			return ""
		}
		return plainDesc(i)
	}
	t.Run("PerRecord", func(t *testing.T) {
		cfg := sandbox.DefaultConfig()
		cfg.Answers.PerRecordRefusal = "400"
		r := runJobOnSandbox(t, createsJob, cfg, 50, 50, 1, "PerRecord", refused, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		held := heldByUOID(t, r.sb)
		report := reportByUOID(t, r.dir)
		counts := map[string]int{}
		for uoid, l := range report {
			counts[fmt.Sprint(l["status"])]++
			errs := fmt.Sprint(l["errors"])
			switch uoid {
			case "T00007", "T00030":
				if l["status"] != string(record.Failed) || !strings.Contains(errs, "Core_NotNullValidator") || fmt.Sprint(l["httpStatus"]) != "400" {
					t.Errorf("%s: %v %v %s; want failed with Core_NotNullValidator", uoid, l["status"], l["httpStatus"], errs)
				}
			default:
				if l["status"] != string(record.Succeeded) || !strings.Contains(errs, "reconciled") {
					t.Errorf("%s: %v %s; want succeeded by an exists check", uoid, l["status"], errs)
				}
			}
		}
		if counts[string(record.Failed)] != 2 || counts[string(record.Succeeded)] != 48 {
			t.Errorf("report: %v, want 2 failed and 48 succeeded", counts)
		}
		for uoid, l := range report {
			want := map[bool]int{true: 1}[l["status"] == string(record.Succeeded)]
			if held[uoid] != want {
				t.Errorf("the sandbox holds %s %d times (%v)", uoid, held[uoid], l["status"])
			}
		}
		if got := countImports(r.sb); got != 1 {
			t.Errorf("%d import requests, want 1: the 48 applied must not be sent again", got)
		}
		// The records that failed are not sent again by a resume either, and those that
		// succeeded never are.
		if _, err := resume(t, r, pipeline.ResumeOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := countImports(r.sb); got != 1 {
			t.Errorf("%d import requests after the resume, want 1", got)
		}
	})
	t.Run("AllOrNone", func(t *testing.T) {
		cfg := sandbox.DefaultConfig()
		cfg.Answers.PerRecordRefusal = "400"
		r := runJobOnSandbox(t, createsJob, cfg, 50, 50, 1, "AllOrNone", refused, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if got := r.out.Summary.Count(record.Failed); got != 50 {
			t.Errorf("%d failed, want all 50", got)
		}
		if held := heldByUOID(t, r.sb); len(held) != 0 {
			t.Errorf("the sandbox holds %d records, want none", len(held))
		}
	})
}

// bulkload reconcile reads exists-check answers in the shapes the sandbox gives: by count and
// ids and in an items wrapper the run agrees; of an unknown shape every record is not_checkable,
// never a mismatch, and reconcile does not abort.
func TestReconcileExistsShapes(t *testing.T) {
	for _, tc := range []struct {
		shape string
		want  map[string]int
	}{
		{"count", map[string]int{onkey.ReconcileAgrees: 20}},
		{"items", map[string]int{onkey.ReconcileAgrees: 20}},
		{"unknown", map[string]int{onkey.ReconcileNotCheckable: 20}},
	} {
		t.Run(tc.shape, func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			cfg.Answers.Exists = tc.shape
			r := runJobOnSandbox(t, createsJob, cfg, 20, 10, 2, "PerRecord", plainDesc, nil)
			if r.err != nil {
				t.Fatal(r.err)
			}
			job, getenv := recordedJob(t, r)
			sum, err := pipeline.Reconcile(context.Background(), job, r.dir, pipeline.RunOptions{Getenv: getenv})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(sum.Verdicts) != fmt.Sprint(tc.want) {
				t.Errorf("verdicts %v, want %v", sum.Verdicts, tc.want)
			}
			data, err := os.ReadFile(sum.File)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"verdict":"not_checkable","detail":"the exists check by Code T00001 failed: the result says nothing bulkload knows`; tc.shape == "unknown" && !strings.Contains(string(data), want) {
				t.Errorf("reconcile.jsonl lacks %s:\n%.600s", want, data)
			}
		})
	}
}
