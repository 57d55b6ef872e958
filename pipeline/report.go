package pipeline

import (
	"context"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// reportRun is report.Run with what was read from each source as the evaluation counted it.
type reportRun struct {
	job               *spec.Job
	dir, mode         string
	stats             map[string]*sourceStats
	started, finished time.Time
	aborted           error
	conc              *record.Concurrency
	notes             []string
}

// writeReports writes every report of run from each, its entries in seq order (report.Write).
func writeReports(ctx context.Context, run reportRun, each report.Each) (*report.Summary, error) {
	sources := map[string]*report.SourceSummary{}
	for name, st := range run.stats {
		sources[name] = &report.SourceSummary{Rows: st.Rows, UnusedColumns: st.Unused, Warnings: st.Warnings}
	}
	return report.Write(ctx, report.Run{Job: run.job, Dir: run.dir, Mode: run.mode, Sources: sources,
		Started: run.started, Finished: run.finished, Aborted: run.aborted, Concurrency: run.conc, Notes: run.notes}, each)
}

// answered selects the records whose messages may hold the target's answer (report.NewTracer).
var answered = runstore.Selection{Statuses: []record.Status{record.Failed, record.Unknown, record.Succeeded}, HasMessages: true}

// storeEach is the Each of the records of store that sel selects, in seq order.
func storeEach(ctx context.Context, store *runstore.Store, sel runstore.Selection) report.Each {
	return func(fn func(*record.Entry) error) error {
		return store.Records(ctx, sel, func(e record.Entry) error { return fn(&e) })
	}
}
