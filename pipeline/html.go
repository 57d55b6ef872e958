package pipeline

import (
	"context"
	"fmt"
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
	counts, err := store.tallies(ctx)
	if err != nil {
		return err
	}
	p.Counts = counts
	findings, _, err := store.findings(ctx, job)
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
func (s *Store) tallies(ctx context.Context) ([]report.Tally, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT source, entity, group_order, status, count(*), min(seq)
		FROM records GROUP BY source, entity, group_order, status ORDER BY min(seq)`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var out []report.Tally
	for rows.Next() {
		var t report.Tally
		var first int64
		if err := rows.Scan(&t.Source, &t.Entity, &t.Group, &t.Status, &t.Records, &first); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
