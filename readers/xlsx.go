package readers

import (
	"archive/zip"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/spec"
)

// OpenXLSX opens one sheet of the workbook src.File and reads its header. The sheet is src.Sheet
// by name, else src.SheetIndex (1-based position), else the workbook's active sheet. It uses
// src.Path as Origin.File, src.HeaderRow (the 1-based row of the column names, 0 meaning 1; a
// blank header row is an error naming the first non-blank row after it, never a reason to take
// another row) and src.Columns (when set, the sheet has no header: these are its column names and
// row 1 is data). Several sources may open the same workbook; each reads its own sheet.
//
// Cells are read with excelize's Rows iterator as raw stored values: shared and inline strings as
// text, numbers and dates as the stored number ("45293", "3.5"; number formats are not applied),
// formulas as their cached result, booleans as "1" or "0". The typer turns them into typed values
// (Row.Dates tells it the workbook's date system). Blank rows are skipped; short rows are padded
// with ""; a value in a column beyond the header is a row error naming its cell.
//
// A file that is not a workbook, a missing sheet, and a header with an empty or duplicate column
// name are errors of OpenXLSX naming the file, sheet and cell. The caller must Close the Source.
//
// The workbook is read within DefaultLimits. Before excelize inflates anything, the sizes the zip
// declares are checked: the whole workbook against WorkbookBytes and every sheet's XML and the
// shared strings table against SheetXMLBytes (excelize would copy a large one to a temporary file
// and go on). Since excelize's row iterator ends quietly at malformed XML and reads an unknown or
// damaged shared string as "", the reader checks the shared strings table and the sheet first
// (see xlsx_scan.go): a damaged table, a reference to a string that is not there and rows out of
// order are errors of OpenXLSX naming the cell; XML that breaks off is an error of Next naming
// the cell where it breaks off and the row before which reading stopped, and the row it broke
// off in is not handed on with cells missing. A cell longer than CellBytes is an error of its
// row, and a header wider than Columns an error of OpenXLSX.
func OpenXLSX(src *spec.Source) (Source, error) {
	return openXLSX(src, DefaultLimits)
}

// openXLSX is OpenXLSX within lim (zero fields: DefaultLimits).
func openXLSX(src *spec.Source, lim Limits) (Source, error) {
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
	defer wz.Close()
	f, err := excelize.OpenFile(src.File, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    lim.WorkbookBytes,
		UnzipXMLSizeLimit: min(cmp.Or(lim.spillBytes, excelize.StreamChunkSize), lim.WorkbookBytes),
	})
	if err != nil {
		return nil, wz.damaged(display, err)
	}
	s, err := newXLSXSource(f, wz, display, src, lim)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return s, nil
}

// xlsxSource is the Source of one sheet.
type xlsxSource struct {
	file    string // Origin.File
	path    string // the workbook file, to read the sheet's XML again when it breaks off
	sheet   string
	f       *excelize.File
	rows    *excelize.Rows
	dates   DateSystem
	lim     Limits
	columns []string
	header  int       // the Excel row of the header; 0 when the spec names the columns
	line    int       // the Excel row number of the last row read
	more    bool      // rows.Next has moved on to the row after line
	endErr  error     // where the sheet's XML breaks off after the row last returned
	lastRow int       // the last row of the sheet's declared dimension, 0 when it declares none
	scan    sheetScan // what the scan of the sheet's XML found
	err     error     // sticky: io.EOF or a read error
}

var _ Source = (*xlsxSource)(nil)

func newXLSXSource(f *excelize.File, wz *workbookZip, display string, src *spec.Source, lim Limits) (*xlsxSource, error) {
	sheet, err := pickSheet(f, src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	scan, err := checkSheet(f, wz, sheet)
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
	s := &xlsxSource{file: display, path: src.File, sheet: sheet, f: f, rows: rows, dates: dates, lim: lim, scan: *scan}
	if s.lastRow, err = dimensionLastRow(f, sheet); err != nil {
		_ = rows.Close()
		return nil, fmt.Errorf("%s: sheet %q: %w", display, sheet, err)
	}
	if s.more = rows.Next(); !s.more { // not even a first row: is that the whole sheet?
		if _, err := s.endOfSheet(); err != nil {
			s.endErr = err
		}
	}
	if len(src.Columns) > 0 {
		if len(src.Columns) > lim.Columns {
			_ = rows.Close()
			return nil, fmt.Errorf("%s: columns names %d columns, more than the limit of %d", display, len(src.Columns), lim.Columns)
		}
		s.columns = src.Columns
		return s, nil
	}
	if err := s.readHeader(max(src.HeaderRow, 1)); err != nil {
		_ = rows.Close()
		return nil, err
	}
	s.header = s.line
	return s, nil
}

// pickSheet returns the name of the sheet src asks for, or an error that lists the sheets there are.
func pickSheet(f *excelize.File, src *spec.Source) (string, error) {
	list := f.GetSheetList()
	for i, a := range list { // excelize finds a sheet by its name in any case
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

// readHeader skips to row headerRow, takes it as the column names and checks them. Empty cells
// after the last name are not columns. A blank header row is an error naming the first non-blank
// row after it.
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
		if s.line < headerRow {
			continue
		}
		if blankCells(cells) {
			if err := s.blankHeaderRow(headerRow); err != nil {
				return err
			}
		}
		for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		s.columns = cells
		break
	}
	if len(s.columns) > s.lim.Columns {
		return fmt.Errorf("%s %s!%d: the header has %d columns, more than the limit of %d", s.file, s.sheet, s.line, len(s.columns), s.lim.Columns)
	}
	var errs []error
	seen := make(map[string]int, len(s.columns))
	for i, name := range s.columns {
		at := fmt.Sprintf("%s %s!%s%d", s.file, s.sheet, ColumnLetters(i), s.line)
		switch {
		case len(name) > s.lim.CellBytes:
			errs = append(errs, fmt.Errorf("%s: the name holds %s", at, limitMsg(int64(len(name)), int64(s.lim.CellBytes), "one cell")))
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
// excelize's Rows iterator ends quietly on XML it cannot parse, giving the cells it read of the
// row it was in. So a row is returned only once the iterator has moved on to the next row, which
// it does only when the row's XML ended well, or once the end of the sheet has been checked
// (endOfSheet).
func (s *xlsxSource) nextCells() ([]string, error) {
	if s.endErr != nil {
		return nil, s.endErr
	}
	if !s.more {
		return nil, io.EOF
	}
	s.line++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s %s!%d: malformed sheet data: %w", s.file, s.sheet, s.line, err)
	}
	if s.more = s.rows.Next(); !s.more {
		complete, err := s.endOfSheet()
		s.endErr = err
		if !complete {
			return nil, err
		}
	}
	return cells, nil
}

// endOfSheet checks, once excelize's iterator has ended after row s.line, that the sheet really
// ends there: rows missing before the last row of the sheet's dimension or of its XML, sheetData
// not closed, or a last row whose XML is malformed are an error naming where the XML breaks off.
// complete reports whether row s.line is whole: its XML ended before the fault, or there is none.
func (s *xlsxSource) endOfSheet() (complete bool, err error) {
	if err := s.rows.Error(); err != nil {
		return false, fmt.Errorf("%s: sheet %q after row %d: %w", s.file, s.sheet, s.line, err)
	}
	if s.line >= s.lastRow && s.line == s.scan.lastRow && s.scan.closed && s.scan.lastRowFault == nil {
		return true, nil
	}
	stopped := fmt.Sprintf("reading stopped before row %d", s.line)
	d := s.diagnose()
	if d.fault != nil && d.row == s.line && d.rowEnded {
		complete, stopped = true, fmt.Sprintf("reading stopped after row %d", s.line)
	}
	if s.line <= 1 && !complete {
		stopped = "no row was read"
	}
	if d.fault != nil {
		at := fmt.Sprintf("%s: sheet %q", s.file, s.sheet)
		switch {
		case d.rowEnded:
			at = fmt.Sprintf("%s: sheet %q after row %d", s.file, s.sheet, d.row)
		case d.row > 0:
			at = fmt.Sprintf("%s %s", s.file, (&cellFault{row: d.row, col: d.col}).at(s.sheet))
		}
		return complete, fmt.Errorf("%s: malformed sheet XML (%s, %s); %s", at, s.scan.part, d.fault, stopped)
	}
	if s.line < s.lastRow {
		return false, fmt.Errorf("%s: sheet %q: the sheet data ends after row %d, but the sheet says it holds rows up to %d: its XML is malformed or cut short; %s", s.file, s.sheet, s.line, s.lastRow, stopped)
	}
	return false, fmt.Errorf("%s: sheet %q: the sheet data ends after row %d, but its XML holds rows up to %d: it is malformed or cut short; %s", s.file, s.sheet, s.line, s.scan.lastRow, stopped)
}

// diagnose decodes the sheet's XML strictly to find where it is malformed (see diagnoseSheet);
// a diagnosis without a fault when none is found.
func (s *xlsxSource) diagnose() diagnosis {
	zr, err := zip.OpenReader(s.path)
	if err != nil {
		return diagnosis{}
	}
	wz := newWorkbookZip(zr)
	defer wz.Close()
	rc, err := wz.open(s.scan.part)
	if err != nil {
		return diagnosis{}
	}
	defer rc.Close()
	return diagnoseSheet(rc, s.f.CharsetReader)
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
				"cell %s%d holds %s but the header has only %d columns (A to %s)",
				ColumnLetters(i), s.line, excerpt(cells[i]), len(s.columns), ColumnLetters(len(s.columns)-1))}
			return row
		}
	}
	for i, c := range cells[:min(len(cells), len(s.columns))] {
		if len(c) > s.lim.CellBytes {
			row.Err = &RowError{Origin: row.Origin, Column: s.columns[i], Index: i,
				Msg: "the cell holds " + limitMsg(int64(len(c)), int64(s.lim.CellBytes), "one cell")}
			break
		}
	}
	return row
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

// checkSheet checks the shared strings table and scans the sheet's XML (see xlsx_scan.go). It
// returns a *cellFault for a problem at a row or cell, and another error for a damaged shared
// strings table that no cell of the sheet reads past the damage.
func checkSheet(f *excelize.File, wz *workbookZip, sheet string) (*sheetScan, error) {
	part, err := sheetPart(f, sheet)
	if err != nil {
		return nil, err
	}
	sst := sharedStrings{}
	if name := wz.sharedStrings(); name != "" {
		rc, err := wz.open(name)
		if err != nil {
			return nil, err
		}
		sst, err = scanSharedStrings(rc, name, f.CharsetReader)
		_ = rc.Close()
		if err != nil {
			return nil, err
		}
	}
	rc, err := wz.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	scan, err := scanSheet(rc, sst, f.CharsetReader)
	if err != nil {
		return nil, err
	}
	if sst.fault != nil {
		// excelize holds a table of up to 16 MiB in memory, and then reads no cell at all.
		return nil, errors.New(sst.malformed() + ": no cell of the sheet can be read")
	}
	scan.part = part
	return scan, nil
}
