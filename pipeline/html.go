package pipeline

import (
	"context"
	"net/url"
	"path/filepath"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/spec"
)

// ReportHTML is the run directory's one-page report for the data owner (report.WriteHTML).
const ReportHTML = "report.html"

// writeHTML writes report.html from the summary's job, times and rows, the store's counts per
// source, entity, group and status, and the findings of the records that are invalid, failed,
// skipped or unknown; it names the file in sum.
func writeHTML(ctx context.Context, dir string, job *spec.Job, store *Store, sum *Summary) error {
	p := report.Page{Job: job.Name, Spec: job.File, Mode: "run", Target: targetURL(job.Target.URL)}
	if sum.Mode == "dry-run" {
		p.Mode = "dry-run"
	}
	p.Started, _ = time.Parse(time.RFC3339, sum.Started)
	p.Finished, _ = time.Parse(time.RFC3339, sum.Finished)
	for _, src := range job.Sources {
		f := report.SourceFile{Source: src.Name, File: src.File, Sheet: src.Sheet}
		if s := sum.Sources[src.Name]; s != nil {
			f.Rows = s.Rows
		}
		p.Files = append(p.Files, f)
	}
	counts, err := tallies(ctx, store)
	if err != nil {
		return err
	}
	p.Counts = counts
	findings, _, err := storeFindings(ctx, store, job)
	if err != nil {
		return err
	}
	for _, f := range findings {
		switch record.Status(f.Status) {
		case Invalid, Failed, Skipped, Unknown:
			p.Findings = append(p.Findings, f)
		}
	}
	if err := report.WriteHTML(filepath.Join(dir, ReportHTML), p); err != nil {
		return err
	}
	sum.HTML = ReportHTML
	return nil
}

// targetURL is the target's URL without any credentials it may carry.
func targetURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.User = nil
	return u.String()
}

// tallies counts the store's records per source, entity, group and status, in record order.
func tallies(ctx context.Context, store *Store) ([]report.Tally, error) {
	ts, err := store.Tallies(ctx)
	out := make([]report.Tally, len(ts))
	for i, t := range ts {
		out[i] = report.Tally{Source: t.Source, Entity: t.Entity, Group: t.Group, Status: string(t.Status), Records: t.Records}
	}
	return out, err
}
