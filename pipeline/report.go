package pipeline

import (
	"context"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// Report file names inside the run directory.
const (
	ReportCSV   = report.ReportCSV
	ReportJSONL = report.ReportJSONL
	ErrorsCSV   = report.ErrorsCSV
	SummaryJSON = "summary.json"
	PayloadsDir = report.PayloadsDir
	FixDir      = report.FixDir
	ReportHTML  = report.ReportHTML
	// AnnotatedDir holds the data owner's workbooks with their bad cells marked.
	AnnotatedDir = report.AnnotatedDir
)

// The fix files' columns (report.ErrorsColumn, report.OriginColumn), which typing ignores.
const (
	ErrorsColumn = report.ErrorsColumn
	OriginColumn = report.OriginColumn
)

// Summary is summary.json (report.Summary).
type (
	Summary        = report.Summary
	ErrorGroup     = report.ErrorGroup
	Sample         = report.Sample
	SourceSummary  = report.SourceSummary
	PayloadSummary = report.PayloadSummary
	Concurrency    = report.Concurrency
)

// reportRun is what the reports say about the run besides its records.
type reportRun struct {
	job               *spec.Job
	dir, mode         string
	stats             map[string]*sourceStats
	started, finished time.Time
	aborted           error        // why the run stopped early; nil when it went to its end
	conc              *Concurrency // what the requests in flight were; nil for a dry run
	notes             []string     // what the cross-row rules could not settle
}

// writeReports renders report.csv, report.jsonl, errors.csv, summary.json, report.html,
// payloads/ (for a dry run only), fix/ and annotated/ from one pass over the entries of each,
// in seq order, and returns the summary.
func writeReports(ctx context.Context, run reportRun, each report.Each) (*Summary, error) {
	sources := map[string]*SourceSummary{}
	for name, st := range run.stats {
		sources[name] = &SourceSummary{Rows: st.Rows, UnusedColumns: st.Unused, Warnings: st.Warnings}
	}
	sum := report.NewSummary(run.job, run.dir, run.started, run.finished, sources)
	sum.Mode, sum.Concurrency, sum.Notes = run.mode, run.conc, run.notes
	if run.aborted != nil {
		sum.Aborted = run.aborted.Error()
	}
	if err := report.RemoveTemporaries(run.dir); err != nil { // what an interrupted writer left
		return nil, err
	}
	records, err := report.NewRecords(run.dir, run.mode != "dry-run")
	if err != nil {
		return nil, err
	}
	findings := report.NewFindings(ctx, run.job)
	ws := []report.Writer{report.Func(func(e *record.Entry) error { sum.Add(e); return nil }), records, findings,
		report.NewFixFiles(ctx, run.dir, run.job, sum)}
	if run.mode == "dry-run" && !run.job.ValidationOnly() {
		sum.Payloads = &PayloadSummary{}
		p, err := report.NewPayloads(run.dir, run.job, sum.Payloads)
		if err != nil {
			records.Abort()
			return nil, err
		}
		ws = append(ws, p)
	}
	if err := report.Feed(each, ws...); err != nil {
		return nil, err
	}
	// The findings are computed once, for both.
	g, gctx := errgroup.WithContext(ctx)
	var annotated []string
	g.Go(func() error {
		s := &Summary{}
		err := report.WriteAnnotated(gctx, run.dir, findings, s)
		annotated = s.Annotated
		return err
	})
	g.Go(func() error { return report.WritePage(run.dir, run.job, sum, findings) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sum.Annotated = annotated
	if err := sum.Write(filepath.Join(run.dir, SummaryJSON)); err != nil {
		return nil, err
	}
	return sum, nil
}

// storeEntries is the Each of the store's records, in seq order, each traced (tracer) on the way.
func storeEntries(ctx context.Context, store *Store, t *tracer) report.Each {
	return func(fn func(*record.Entry) error) error {
		return store.Records(ctx, runstore.Selection{}, func(r StoredRecord) error {
			t.trace(&r)
			return fn(&r)
		})
	}
}
