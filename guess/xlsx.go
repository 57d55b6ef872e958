package guess

import (
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/spec"
)

// sheets guesses one source per sheet of the workbook that has a header; a sheet without one
// (empty, or notes only) is left out.
func sheets(ctx context.Context, base *spec.Source, limit int) ([]Source, error) {
	f, err := excelize.OpenFile(base.File)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", base.Path, err)
	}
	defer f.Close()
	var out []Source
	for _, sheet := range f.GetSheetList() {
		rows, err := firstRows(f, sheet)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", base.Path, sheet, err)
		}
		h, ok := findHeader(rows)
		if !ok {
			continue
		}
		src := *base
		src.Sheet, src.HeaderRow = sheet, h.row
		s := Source{Titles: h.titles}
		if err := sample(ctx, &src, &s, limit); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sheet has a header row in its first %d rows", base.Path, lookAhead)
	}
	return out, nil
}

// firstRows returns the first lookAhead rows of a sheet, each with its Excel row number.
func firstRows(f *excelize.File, sheet string) ([]rawRow, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawRow
	for n := 1; n <= lookAhead && rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		out = append(out, rawRow{line: n, cells: cells})
	}
	return out, rows.Error()
}
