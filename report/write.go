package report

import (
	"context"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// Run is what the reports say about a run besides its records.
type Run struct {
	Job *spec.Job
	// Dir is the run directory the reports are written into.
	Dir string
	// Mode is "dry-run" for a run that sent nothing (its reports have no server columns and
	// it writes payloads/), else "run".
	Mode string
	// Sources are the rows read from each source, by source name; Write counts their records.
	Sources           map[string]*SourceSummary
	Started, Finished time.Time
	// Aborted is why the run stopped early; nil when it went to its end.
	Aborted error
	// Concurrency is what the requests in flight were; nil for a dry run.
	Concurrency *Concurrency
	// Notes are what the cross-row rules could not settle.
	Notes []string
}

// DryRun is Run.Mode of a run that sends nothing.
const DryRun = "dry-run"

// Write renders every report of run into run.Dir from one pass over each (its entries in seq
// order): report.csv, report.jsonl, errors.csv, the fix files (fix/), payloads/ for a dry run of
// a job that is not validation only, then report.html and the annotated workbooks (annotated/)
// from the findings of that pass, and last summary.json, which it returns. Temporary files an
// interrupted writer left in run.Dir are removed first. Each report appears whole or not at
// all.
func Write(ctx context.Context, run Run, each Each) (*Summary, error) {
	sum := NewSummary(run.Job, run.Dir, run.Started, run.Finished, run.Sources)
	sum.Mode, sum.Concurrency, sum.Notes = run.Mode, run.Concurrency, run.Notes
	if run.Aborted != nil {
		sum.Aborted = run.Aborted.Error()
	}
	if err := RemoveTemporaries(run.Dir); err != nil {
		return nil, err
	}
	records, err := NewRecords(run.Dir, run.Mode != DryRun)
	if err != nil {
		return nil, err
	}
	findings := NewFindings(ctx, run.Job)
	ws := []Writer{Func(func(e *record.Entry) error { sum.Add(e); return nil }), records, findings,
		NewFixFiles(ctx, run.Dir, run.Job, sum)}
	if run.Mode == DryRun && !run.Job.ValidationOnly() {
		sum.Payloads = &PayloadSummary{}
		p, err := NewPayloads(run.Dir, run.Job, sum.Payloads)
		if err != nil {
			records.Abort()
			return nil, err
		}
		ws = append(ws, p)
	}
	if err := Feed(each, ws...); err != nil {
		return nil, err
	}
	// The findings are computed once, for both.
	g, gctx := errgroup.WithContext(ctx)
	var annotated []string
	g.Go(func() error {
		s := &Summary{}
		err := WriteAnnotated(gctx, run.Dir, findings, s)
		annotated = s.Annotated
		return err
	})
	g.Go(func() error { return WritePage(run.Dir, run.Job, sum, findings) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sum.Annotated = annotated
	if err := sum.Write(filepath.Join(run.Dir, SummaryJSON)); err != nil {
		return nil, err
	}
	return sum, nil
}
