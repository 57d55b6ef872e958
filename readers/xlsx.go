package readers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/spec"
)

// OpenXLSX opens one sheet of the workbook src.File and reads its header. The sheet is src.Sheet
// by name, else src.SheetIndex (1-based position), else the workbook's active sheet. It uses
// src.Path as Origin.File and src.HeaderRow (the 1-based row of the column names, default 1; when
// that row is blank the next non-blank row is the header). Several sources may open the same
// workbook; each reads its own sheet.
//
// Cells are read with excelize's Rows iterator as raw stored values: shared and inline strings as
// text, numbers and dates as the stored number ("45293", "3.5"; number formats are not applied),
// formulas as their cached result, booleans as "1" or "0". The typer turns them into typed values
// (Row.Dates tells it the workbook's date system). Blank rows are skipped; short rows are padded
// with ""; a value in a column beyond the header is a row error naming its cell.
//
// A file that is not a workbook, a missing sheet, and a header with an empty or duplicate column
// name are errors of OpenXLSX naming the file, sheet and cell. The caller must Close the Source.
func OpenXLSX(src *spec.Source) (Source, error) {
	display := src.Path
	if display == "" {
		display = src.File
	}
	if src.HeaderRow < 0 {
		return nil, fmt.Errorf("%s: header_row %d: must be 1 or more", display, src.HeaderRow)
	}
	f, err := excelize.OpenFile(src.File, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", display, err)
	}
	s, err := newXLSXSource(f, display, src)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return s, nil
}

// xlsxSource is the Source of one sheet.
type xlsxSource struct {
	file    string // Origin.File
	sheet   string
	f       *excelize.File
	rows    *excelize.Rows
	dates   DateSystem
	columns []string
	line    int   // the Excel row number of the last row read
	lastRow int   // the last row of the sheet's declared dimension, 0 when it declares none
	err     error // sticky: io.EOF or a read error
}

var _ Source = (*xlsxSource)(nil)

func newXLSXSource(f *excelize.File, display string, src *spec.Source) (*xlsxSource, error) {
	sheet, err := pickSheet(f, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	dates := Excel1900
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the workbook properties: %w", display, err)
	}
	if props.Date1904 != nil && *props.Date1904 {
		dates = Excel1904
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", display, sheet, err)
	}
	s := &xlsxSource{file: display, sheet: sheet, f: f, rows: rows, dates: dates}
	if s.lastRow, err = dimensionLastRow(f, sheet); err != nil {
		_ = rows.Close()
		return nil, fmt.Errorf("%s: sheet %q: %w", display, sheet, err)
	}
	if err := s.readHeader(max(src.HeaderRow, 1)); err != nil {
		_ = rows.Close()
		return nil, err
	}
	return s, nil
}

// pickSheet returns the name of the sheet src asks for, or an error that lists the sheets there are.
func pickSheet(f *excelize.File, src *spec.Source) (string, error) {
	list := f.GetSheetList()
	switch {
	case src.Sheet != "":
		for _, name := range list {
			if name == src.Sheet {
				return name, nil
			}
		}
		for _, name := range list {
			if strings.EqualFold(name, src.Sheet) {
				return "", fmt.Errorf("no sheet %q; did you mean %q? (sheet names are matched exactly)", src.Sheet, name)
			}
		}
		return "", fmt.Errorf("no sheet %q; the workbook has %s", src.Sheet, quoteList(list))
	case src.SheetIndex > 0:
		if src.SheetIndex > len(list) {
			return "", fmt.Errorf("sheet_index %d: the workbook has %d sheet(s): %s", src.SheetIndex, len(list), quoteList(list))
		}
		return list[src.SheetIndex-1], nil
	}
	name := f.GetSheetName(f.GetActiveSheetIndex())
	if name == "" {
		if len(list) == 0 {
			return "", errors.New("the workbook has no sheets")
		}
		name = list[0]
	}
	return name, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// dimensionLastRow returns the last row of the sheet's dimension (the range its writer says it
// uses, such as "A1:G12"), or 0 when the sheet declares none or declares "A1", which is what
// writers declare for an empty sheet. excelize reads only the start of the sheet for it.
func dimensionLastRow(f *excelize.File, sheet string) (int, error) {
	ref, err := f.GetSheetDimension(sheet)
	if err != nil || ref == "" || ref == "A1" {
		return 0, err
	}
	_, last, _ := strings.Cut(ref, ":")
	if last == "" {
		last = ref
	}
	_, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0, fmt.Errorf("malformed dimension %q: %w", ref, err)
	}
	return row, nil
}

// readHeader skips to row headerRow, takes the first non-blank row from there as the column names
// and checks them. Empty cells after the last name are not columns.
func (s *xlsxSource) readHeader(headerRow int) error {
	for {
		cells, err := s.nextCells()
		if errors.Is(err, io.EOF) {
			if headerRow > 1 {
				return fmt.Errorf("%s: sheet %q: no header: row %d (header_row) and the rows after it are blank or missing", s.file, s.sheet, headerRow)
			}
			return fmt.Errorf("%s: sheet %q: no header: the sheet is empty", s.file, s.sheet)
		}
		if err != nil {
			return err
		}
		if s.line < headerRow || blankCells(cells) {
			continue
		}
		for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		s.columns = cells
		break
	}
	var errs []error
	seen := make(map[string]int, len(s.columns))
	for i, name := range s.columns {
		at := fmt.Sprintf("%s %s!%s%d", s.file, s.sheet, ColumnLetters(i), s.line)
		switch {
		case strings.TrimSpace(name) == "":
			errs = append(errs, fmt.Errorf("%s: empty column name", at))
		default:
			if first, dup := seen[name]; dup {
				errs = append(errs, fmt.Errorf("%s %q: duplicate column name (also column %s)", at, name, ColumnLetters(first)))
			} else {
				seen[name] = i
			}
		}
	}
	return errors.Join(errs...)
}

// nextCells advances to the next row of the sheet (blank ones included) and returns its cells.
//
// excelize's Rows iterator ends quietly on XML it cannot parse, so the end of the rows is checked
// against the sheet's dimension: rows missing before its last row are an error, not a short sheet.
func (s *xlsxSource) nextCells() ([]string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, fmt.Errorf("%s: sheet %q after row %d: %w", s.file, s.sheet, s.line, err)
		}
		if s.line < s.lastRow {
			return nil, fmt.Errorf("%s: sheet %q: the sheet data ends after row %d, but the sheet says it holds rows up to %d: its XML is malformed or cut short", s.file, s.sheet, s.line, s.lastRow)
		}
		return nil, io.EOF
	}
	s.line++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s %s!%d: malformed sheet data: %w", s.file, s.sheet, s.line, err)
	}
	return cells, nil
}

// Next returns the next non-blank row. See Source for the contract.
func (s *xlsxSource) Next(ctx context.Context) (Row, error) {
	if s.err != nil {
		return Row{}, s.err
	}
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		cells, err := s.nextCells()
		if err != nil {
			s.err = err
			return Row{}, err
		}
		if blankCells(cells) {
			continue
		}
		return s.row(cells), nil
	}
}

// row builds a row of header width from cells, with an error for a value beyond the header.
func (s *xlsxSource) row(cells []string) Row {
	values := make([]any, len(s.columns))
	for i := range values {
		if i < len(cells) {
			values[i] = cells[i]
		} else {
			values[i] = ""
		}
	}
	row := Row{
		Origin:  Origin{File: s.file, Sheet: s.sheet, Line: s.line},
		Columns: s.columns,
		Values:  values,
		Dates:   s.dates,
	}
	for i := len(s.columns); i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			row.Err = &RowError{Origin: row.Origin, Index: -1, Msg: fmt.Sprintf(
				"cell %s%d holds %q but the header has only %d columns (A to %s)",
				ColumnLetters(i), s.line, cells[i], len(s.columns), ColumnLetters(len(s.columns)-1))}
			break
		}
	}
	return row
}

// Close releases the sheet and the workbook's temporary files. It is safe to call more than once.
func (s *xlsxSource) Close() error {
	if s.f == nil {
		return nil
	}
	err := errors.Join(s.rows.Close(), s.f.Close())
	s.f = nil
	if s.err == nil {
		s.err = fmt.Errorf("%s: read after Close", s.file)
	}
	return err
}

// blankCells reports whether every cell is empty or white space.
func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
