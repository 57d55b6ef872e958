package guess

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

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
		rows, err := firstRows(f, sheet, false)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", base.Path, sheet, err)
		}
		h, ok := findHeader(rows)
		if !ok {
			continue
		}
		raw, err := firstRows(f, sheet, true)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", base.Path, sheet, err)
		}
		src := *base
		src.Sheet, src.HeaderRow = sheet, h.row
		s := Source{Titles: h.titles, hints: dateStyled(rows, raw, h.row)}
		if err := sample(ctx, &src, &s, limit); errors.Is(err, errNoRows) {
			continue // a header without rows: nothing to type, as an empty sheet
		} else if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no sheet has a header row in its first %d rows and data rows below it", base.Path, lookAhead)
	}
	return out, nil
}

// firstRows returns the first lookAhead rows of a sheet, each with its Excel row number: the
// cells as Excel shows them (their number format applied), or with raw their stored values.
func firstRows(f *excelize.File, sheet string, raw bool) ([]rawRow, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rawRow
	for n := 1; n <= lookAhead && rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: raw})
		if err != nil {
			return nil, err
		}
		out = append(out, rawRow{line: n, cells: cells})
	}
	return out, rows.Error()
}

// dateText matches how Excel shows a date or date-time cell: 03.11.2026, 11/3/26, 2026-11-03,
// 3-Nov-26, 03.11.2026 14:30.
var dateText = regexp.MustCompile(`^(\d{1,4}[-/.](\d{1,2}|[A-Za-z]{3,9})[-/.]\d{2,4}|\d{1,2}[- ][A-Za-z]{3,9}([- ]\d{2,4})?|[A-Za-z]{3,9} \d{1,2},? \d{4})( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?$`)

// dateStyled finds the columns whose cells below the header are stored as numbers but shown as
// dates: Excel date serials, which the typing converts in a date or date-time column. A column
// gets the hint DateTime when one of them shows a time of day, else Date.
func dateStyled(shown, raw []rawRow, header int) map[string]Type {
	var names []string
	hints := map[string]Type{}
	for i, r := range shown {
		if r.line == header {
			names = r.cells
		}
		if r.line <= header || i >= len(raw) {
			continue
		}
		for j, cell := range r.cells {
			if j >= len(names) || j >= len(raw[i].cells) {
				break
			}
			stored := raw[i].cells[j]
			if stored == cell || locales[0].parse(stored) == notNumber || !dateText.MatchString(strings.TrimSpace(cell)) {
				continue
			}
			name := strings.TrimSpace(names[j])
			if strings.Contains(cell, ":") {
				hints[name] = DateTime
			} else if hints[name] == "" {
				hints[name] = Date
			}
		}
	}
	return hints
}
