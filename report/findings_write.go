package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// ReportHTML is the run directory's one-page report for the data owner (WriteHTML).
const ReportHTML = "report.html"

// WritePage writes dir/report.html from the summary's job, times and rows, the counts per
// source, entity, group and status, and the findings of the records that are invalid, failed,
// skipped or unknown; it names the file in sum.
func WritePage(dir string, job *spec.Job, sum *Summary, fs *Findings) error {
	p := Page{Job: job.Name, Spec: job.File, Mode: "run", Target: targetURL(job.Target.URL), Counts: fs.Tallies}
	if sum.Mode == "dry-run" {
		p.Mode = "dry-run"
	}
	p.Started, _ = time.Parse(time.RFC3339, sum.Started)
	p.Finished, _ = time.Parse(time.RFC3339, sum.Finished)
	for _, src := range job.Sources {
		f := SourceFile{Source: src.Name, File: src.File, Sheet: src.Sheet}
		if s := sum.Sources[src.Name]; s != nil {
			f.Rows = s.Rows
		}
		p.Files = append(p.Files, f)
	}
	for _, f := range fs.List {
		switch record.Status(f.Status) {
		case record.Invalid, record.Failed, record.Skipped, record.Unknown:
			p.Findings = append(p.Findings, f)
		}
	}
	if err := WriteHTML(filepath.Join(dir, ReportHTML), p); err != nil {
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

// WriteAnnotated writes dir/annotated/, the data owner's workbooks with their bad cells marked
// (Annotate), when any record of a CSV or XLSX source has a finding, and lists the files in sum.
func WriteAnnotated(ctx context.Context, dir string, fs *Findings, sum *Summary) error {
	if len(fs.List) == 0 {
		return nil
	}
	names := make([]string, 0, len(fs.Headers))
	for name, h := range fs.Headers {
		if h != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	sources := make([]Source, 0, len(names))
	for _, name := range names {
		h := fs.Headers[name]
		s := Source{Name: name, File: h.Src.Path, Path: h.Src.File, Sheet: h.Sheet}
		if h.Format == "csv" {
			s.Rows = csvRows(h)
		}
		sources = append(sources, s)
	}
	files, err := Annotate(ctx, dir, sources, fs.List)
	if err != nil {
		return err
	}
	sum.Annotated = files
	return nil
}

// csvRows reads a CSV source again for its annotated workbook: the header on its own line, then
// every row as the reader gives it.
func csvRows(h *SourceHeader) func(ctx context.Context, row func(line int, cells []string) error) error {
	return func(ctx context.Context, row func(line int, cells []string) error) error {
		in, err := readers.Open(h.Src)
		if err != nil {
			return err
		}
		defer in.Close()
		if h.Src.HeaderRow > 0 {
			if err := row(h.Src.HeaderRow, h.Columns); err != nil {
				return err
			}
		}
		for {
			r, err := in.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			cells := make([]string, len(r.Values))
			for i, v := range r.Values {
				if v != nil {
					cells[i] = fmt.Sprint(v)
				}
			}
			if err := row(r.Origin.Line, cells); err != nil {
				return err
			}
		}
	}
}
