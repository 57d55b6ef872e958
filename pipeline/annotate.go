package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/spec"
)

// writeAnnotated writes annotated/, the data owner's workbooks with their bad cells marked
// (report.Annotate), when any record of a CSV or XLSX source has a finding, and lists the files
// in sum.
func writeAnnotated(ctx context.Context, dir string, job *spec.Job, store *Store, sum *Summary) error {
	findings, headers, err := storeFindings(ctx, store, job)
	if err != nil || len(findings) == 0 {
		return err
	}
	names := make([]string, 0, len(headers))
	for name, h := range headers {
		if h != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	sources := make([]report.Source, 0, len(names))
	for _, name := range names {
		h := headers[name]
		s := report.Source{Name: name, File: h.src.Path, Path: h.src.File, Sheet: h.sheet}
		if h.format == "csv" {
			s.Rows = csvRows(h)
		}
		sources = append(sources, s)
	}
	files, err := report.Annotate(ctx, dir, sources, findings)
	if err != nil {
		return err
	}
	sum.Annotated = files
	return nil
}

// csvRows reads a CSV source again for its annotated workbook: the header on its own line, then
// every row as the reader gives it.
func csvRows(h *sourceHeader) func(ctx context.Context, row func(line int, cells []string) error) error {
	return func(ctx context.Context, row func(line int, cells []string) error) error {
		in, err := readers.Open(h.src)
		if err != nil {
			return err
		}
		defer in.Close()
		if h.src.HeaderRow > 0 {
			if err := row(h.src.HeaderRow, h.columns); err != nil {
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
