package readers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bulkload/bulkload/spec"
)

// OpenXLSX opens one sheet of the workbook src.File and reads its header. The sheet is src.Sheet
// by name, else src.SheetIndex (1-based position), else the workbook's active sheet. It uses
// src.Path as Origin.File, src.HeaderRow (the 1-based row of the column names, 0 meaning 1; a
// blank header row is an error naming the first non-blank row after it, never a reason to take
// another row) and src.Columns (when set, the sheet has no header: these are its column names and
// row 1 is data). Several sources may open the same workbook; each reads its own sheet.
//
// The parts are found through the package's relationships (see xlsx_parts.go). Cells are read
// with their kinds (see sheetRows and CellKind): text, numbers and dates as their stored values,
// booleans as "TRUE" or "FALSE", formula errors as the error, formulas as their cached results.
// Row.Dates gives the workbook's date system. Blank rows are skipped; short rows are padded with
// ""; a value in a column beyond the header is a row error naming its cell. A sheet's dimension
// (the range it says it uses) is not read: writers get it wrong both ways.
//
// A header cell that is blank is no column when nothing under it holds a value (a table that
// starts in column C, a merged header, a spacer column); when a cell under it does, it is an
// error of OpenXLSX naming the header cell and that cell. A sheet without any row is an empty
// source: Next returns io.EOF at once, and Warnings says the sheet is empty.
//
// A file that is not a workbook, a missing sheet, and a header with a duplicate column name are
// errors of OpenXLSX naming the file, sheet and cell. The caller must Close the Source.
//
// The workbook is read within DefaultLimits. Before anything is inflated, the sizes the zip
// declares are checked: the whole workbook against WorkbookBytes and the sheet's XML and the
// shared strings table against SheetXMLBytes. The shared strings table and the sheet are checked
// before any row is read (see xlsx_scan.go): a damaged table, a reference to a string that is not
// there and rows out of order are errors of OpenXLSX naming the cell; XML that breaks off is an
// error of Next naming the cell where it breaks off and the row before which reading stopped,
// and the row it broke off in is not handed on with cells missing. A cell longer than CellBytes
// is an error of its row, and a header wider than Columns an error of OpenXLSX.
func OpenXLSX(src *spec.Source) (Source, error) {
	return openXLSX(src, DefaultLimits)
}

// openXLSX is OpenXLSX within lim (zero fields: DefaultLimits).
func openXLSX(src *spec.Source, lim Limits) (Source, error) { return openXLSXHead(src, lim, false) }

// openXLSXHead is openXLSX; head skips the scan of the whole sheet (see OpenHead).
func openXLSXHead(src *spec.Source, lim Limits, head bool) (Source, error) {
	display := src.Path
	if display == "" {
		display = src.File
	}
	lim, err := lim.resolve()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	if src.HeaderRow < 0 {
		return nil, fmt.Errorf("%s: header_row %d: must be 1 or more", display, src.HeaderRow)
	}
	wz, err := openWorkbookZip(src.File, display, lim)
	if err != nil {
		return nil, err
	}
	s, err := newXLSXSource(wz, display, src, lim, head)
	if err != nil {
		_ = wz.Close()
		return nil, err
	}
	return s, nil
}

// xlsxSource is the Source of one sheet.
type xlsxSource struct {
	file    string // Origin.File
	sheet   string
	part    string // the zip part of the sheet's XML
	wz      *workbookZip
	rc      io.ReadCloser // the sheet's XML
	rows    *sheetRows
	dates   DateSystem
	lim     Limits
	columns []string
	cols    *columnMap      // the sheet column of each header column
	header  int             // the Excel row of the header; 0 when the spec names the columns
	line    int             // the Excel row number of the last row read
	empty   bool            // the sheet has no row that is not blank
	err     error           // sticky: io.EOF or a read error
	counted *countingReader // rc, counted for Position
	size    int64           // the sheet XML's uncompressed size, for Position
}

var _ Source = (*xlsxSource)(nil)

func newXLSXSource(wz *workbookZip, display string, src *spec.Source, lim Limits, head bool) (*xlsxSource, error) {
	b, err := readBook(wz)
	if err != nil {
		var pe *partError
		if errors.As(err, &pe) {
			return nil, wz.damaged(display, err)
		}
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", display, err)
	}
	sheet, err := pickSheet(b, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	headerRow := max(src.HeaderRow, 1)
	sst, styles, scan, err := checkSheet(b, sheet, headerRow, lim, !head)
	if err != nil {
		var cf *cellFault
		var pe *partError
		switch {
		case errors.As(err, &cf):
			return nil, fmt.Errorf("%s %s: %w", display, cf.at(sheet), err)
		case errors.As(err, &pe):
			return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", display, pe)
		}
		return nil, fmt.Errorf("%s: sheet %q: %w", display, sheet, err)
	}
	rc, err := wz.open(scan.part)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", display, sheet, err)
	}
	counted := &countingReader{rc: rc}
	rc = counted
	var size int64
	if zf := wz.parts[scan.part]; zf != nil && zf.UncompressedSize64 <= uint64(lim.SheetXMLBytes) {
		size = int64(zf.UncompressedSize64)
	}
	s := &xlsxSource{file: display, sheet: sheet, part: scan.part, wz: wz, rc: rc, counted: counted, size: size,
		dates: b.dates, lim: lim}
	s.rows = newSheetRows(rc, sst.texts, styles, charsetReader, func() (io.Reader, error) {
		again, err := wz.open(scan.part)
		if err != nil {
			return nil, err
		}
		_ = counted.rc.Close()
		counted.rc, counted.n = again, 0
		return counted, nil
	})
	if len(src.Columns) > 0 {
		if len(src.Columns) > lim.Columns {
			_ = rc.Close()
			return nil, fmt.Errorf("%s: columns names %d columns, more than the limit of %d", display, len(src.Columns), lim.Columns)
		}
		s.columns, s.cols = src.Columns, &columnMap{}
		for i := range src.Columns {
			s.cols.sheet, s.cols.header = append(s.cols.sheet, i), append(s.cols.header, i)
		}
		return s, nil
	}
	if err := s.readHeader(headerRow, scan); err != nil {
		_ = rc.Close()
		return nil, err
	}
	s.header = s.line
	return s, nil
}

// pickSheet returns the name of the sheet src asks for, or an error that lists the sheets there are.
func pickSheet(b *book, src *spec.Source) (string, error) {
	list := b.sheets
	for i, a := range list { // Excel finds a sheet by its name in any case
		for _, b := range list[i+1:] {
			if strings.EqualFold(a, b) {
				return "", fmt.Errorf("the workbook has sheets named %q and %q, which Excel does not allow and the reader cannot tell apart", a, b)
			}
		}
	}
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
	if len(list) == 0 {
		return "", errors.New("the workbook has no sheets")
	}
	return list[b.active], nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
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
		r, err := s.rows.next()
		if err != nil {
			s.err = s.readError(err)
			return Row{}, s.err
		}
		s.line = r.line
		if blankCells(r.values) && r.problem == nil {
			continue
		}
		return s.row(r), nil
	}
}

// readError is the error of Next for an error of sheetRows: io.EOF as it is, a damaged part, or
// where the XML breaks off and which rows were handed on.
func (s *xlsxSource) readError(err error) error {
	var sf *sheetFault
	var pe *partError
	var de *dataError
	switch {
	case errors.Is(err, io.EOF):
		return io.EOF
	case errors.As(err, &de):
		return fmt.Errorf("%s %s!%d: malformed sheet data: %s", s.file, s.sheet, de.row, de.msg)
	case errors.As(err, &pe):
		return fmt.Errorf("%s: not a readable XLSX workbook: %w", s.file, pe)
	case !errors.As(err, &sf):
		return fmt.Errorf("%s: sheet %q: %w", s.file, s.sheet, err)
	}
	at := fmt.Sprintf("%s: sheet %q", s.file, s.sheet)
	stopped := fmt.Sprintf("reading stopped before row %d", sf.row)
	switch {
	case sf.row > 0 && !sf.inRow:
		at = fmt.Sprintf("%s: sheet %q after row %d", s.file, s.sheet, sf.row)
		stopped = fmt.Sprintf("reading stopped after row %d", sf.row)
	case sf.row > 0:
		at = fmt.Sprintf("%s %s", s.file, (&cellFault{row: sf.row, col: sf.col}).at(s.sheet))
	}
	if sf.rowsDone == 0 {
		stopped = "no row was read"
	}
	return fmt.Errorf("%s: malformed sheet XML (%s, %s); %s", at, s.part, sf.fault, stopped)
}

// row builds a row of header width from r, with an error for a value beyond the header or a cell
// that could not be read.
func (s *xlsxSource) row(r sheetRow) Row {
	values := make([]any, len(s.columns))
	kinds := make([]CellKind, len(s.columns))
	for i := range values {
		values[i] = ""
		if c := s.cols.sheetColumn(i); c < len(r.values) {
			values[i], kinds[i] = r.values[c], r.kinds[c]
		}
	}
	row := Row{
		Origin:  Origin{File: s.file, Sheet: s.sheet, Line: r.line, cols: s.cols},
		Columns: s.columns,
		Values:  values,
		Kinds:   kinds,
		Dates:   s.dates,
	}
	if r.problem != nil {
		p := *r.problem
		p.Origin = row.Origin
		if i := s.cols.headerColumn(r.problemCol); i >= 0 {
			p.Column, p.Index = s.columns[i], i
		} else {
			p.Msg = fmt.Sprintf("cell %s%d: %s", ColumnLetters(r.problemCol), r.line, p.Msg)
		}
		row.Err = &p
		return row
	}
	for c, v := range r.values {
		if strings.TrimSpace(v) != "" && s.cols.headerColumn(c) < 0 {
			row.Err = &RowError{Origin: row.Origin, Index: -1, Msg: fmt.Sprintf(
				"cell %s%d holds %s but the header has only %d columns (%s to %s)", ColumnLetters(c), r.line, excerpt(v),
				len(s.columns), ColumnLetters(s.cols.sheetColumn(0)), ColumnLetters(s.cols.sheetColumn(len(s.columns)-1)))}
			return row
		}
	}
	for i, v := range values {
		if c := v.(string); len(c) > s.lim.CellBytes {
			row.Err = &RowError{Origin: row.Origin, Column: s.columns[i], Index: i,
				Msg: "the cell holds " + limitMsg(int64(len(c)), int64(s.lim.CellBytes), "one cell")}
			break
		}
	}
	return row
}

// Warnings says what the reader noticed that is no error: an empty sheet.
func (s *xlsxSource) Warnings() []string {
	if s.empty {
		return []string{fmt.Sprintf("%s: sheet %q is empty: it has no header and no rows", s.file, s.sheet)}
	}
	return nil
}

// excerpt quotes the start of a value for a message: the whole of a short one, the first 60 bytes
// (whole characters) and "..." of a long one.
func excerpt(v string) string {
	const n = 60
	if len(v) <= n {
		return strconv.Quote(v)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return strconv.Quote(v[:cut]) + fmt.Sprintf("... (%d bytes)", len(v))
}

// Close releases the sheet and the workbook. It is safe to call more than once.
func (s *xlsxSource) Close() error {
	if s.wz == nil {
		return nil
	}
	err := errors.Join(s.rc.Close(), s.wz.Close())
	s.wz = nil
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
