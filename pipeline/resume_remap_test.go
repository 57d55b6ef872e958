package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
)

// A line mapped with orderId: parent.id, left pending by a run stopped midway, is mapped again
// by the resume, a process that did not evaluate it, from the row the store kept: every line is
// stored once, under the id its order got.
func TestResumeRemapsFromTheStore(t *testing.T) {
	const orders, linesPer = 40, 3
	job := strings.Replace(onixOrdersJob, "properties: {orderImportId: row.order, orderLineImportId:",
		"properties: {orderId: parent.id, orderLineImportId:", 1)
	if job == onixOrdersJob {
		t.Fatal("the job was not changed")
	}
	cfg := sandbox.DefaultConfig()
	cfg.Faults.Latency = 5 * time.Millisecond
	files, env := ordersFiles(job, cfg, orders, linesPer, func(int) bool { return false })
	stop := make(chan struct{})
	sent := 0
	r := runOnSandboxWith(t, cfg, files, env, pipeline.RunOptions{Stop: stop, Sent: func(n int) {
		if sent += n; sent >= 30 && sent-n < 30 {
			close(stop)
		}
	}})
	if !errors.Is(r.err, pipeline.Interrupted) {
		t.Fatalf("run: %v, want Interrupted", r.err)
	}
	if len(r.sb.OnixOrderLines()) >= orders*linesPer {
		t.Fatal("every line was sent before the stop: nothing left to remap")
	}
	env["SANDBOX_URL"] = r.sb.URL()
	loaded, err := spec.Load(filepath.Join(filepath.Dir(r.dir), "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline.Resume(context.Background(), loaded, r.dir, pipeline.ResumeOptions{
		RunOptions: pipeline.RunOptions{Getenv: func(k string) string { return env[k] }}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Summary.Count(record.Succeeded); got != orders*(1+linesPer) {
		t.Errorf("%d succeeded after resuming, want %d", got, orders*(1+linesPer))
	}
	orderID := map[string]int64{}
	for _, o := range r.sb.OnixOrders() {
		orderID[fmt.Sprint(o.Fields["orderImportId"])] = o.OrderID
	}
	lines := r.sb.OnixOrderLines()
	if len(lines) != orders*linesPer {
		t.Errorf("%d lines stored, want %d", len(lines), orders*linesPer)
	}
	for _, l := range lines {
		imp := fmt.Sprint(l.Fields["orderLineImportId"])
		order, _, _ := strings.Cut(imp, "-")
		if l.OrderID != orderID[order] || l.OrderID == 0 {
			t.Errorf("line %s is under order %d, want %d", imp, l.OrderID, orderID[order])
		}
	}
}
