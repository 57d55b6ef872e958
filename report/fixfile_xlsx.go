package report

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// xlsxFix writes an XLSX fix workbook: one sheet (xlsxSheet) per source read from the workbook,
// each written with excelize's stream writer, one after the other.
type xlsxFix struct {
	path string
	f    *excelize.File
	// sheets are the names of the sheets made so far.
	sheets []string
	// kindStyles are the date styles of date cells in columns without one, by cell kind.
	kindStyles map[readers.CellKind]int
	// date1904 is set once the fix file is in the 1904 date system, as its source's rows are.
	date1904 bool
}

func newXLSXFix(path string) *xlsxFix {
	return &xlsxFix{path: path, f: excelize.NewFile()}
}

// sheet returns the writer of src's sheet, which is made when its header is written.
func (x *xlsxFix) sheet(src *spec.Source) (*xlsxSheet, error) {
	s := &xlsxSheet{book: x, name: src.Sheet, next: max(src.HeaderRow, 1)}
	return s, s.styleColumns(src)
}

// close saves the workbook.
func (x *xlsxFix) close() error {
	err := x.f.SaveAs(x.path)
	return errors.Join(err, x.f.Close())
}

// discard drops the workbook unsaved.
func (x *xlsxFix) discard() { _ = x.f.Close() }

// xlsxSheet writes one source's sheet of a fix workbook, the header on the source's header row
// and the sheet named as the source's, so the same spec reads it.
type xlsxSheet struct {
	book *xlsxFix
	name string // the source's sheet; "" until the header: the sheet its rows come from
	sw   *excelize.StreamWriter
	next int
	// styles maps a date or date-time column to its date style.
	styles map[string]int
	// fc is where the source's own fix columns are (a fix file as source).
	fc fixCols
	// width is the number of the source's columns, fix columns included.
	width int
}

// header makes the sheet, named as the source's sheet (the first row's when the source names
// none; " (2)" … added when two sources read one sheet), and writes the header.
func (x *xlsxSheet) header(first readers.Row) error {
	name := x.name
	if name == "" {
		name = first.Origin.Sheet
	}
	if name == "" {
		name = "Sheet1"
	}
	base := name
	for n := 2; slices.Contains(x.book.sheets, name); n++ {
		name = fmt.Sprintf("%s (%d)", base, n)
	}
	var err error
	if len(x.book.sheets) == 0 {
		if name != "Sheet1" {
			err = x.book.f.SetSheetName("Sheet1", name)
		}
	} else {
		_, err = x.book.f.NewSheet(name)
	}
	if err != nil {
		return err
	}
	x.book.sheets = append(x.book.sheets, name)
	x.name = name
	if x.sw, err = x.book.f.NewStreamWriter(name); err != nil {
		return err
	}
	columns := first.Columns
	x.fc, x.width = newFixCols(columns), len(columns)
	cells := make([]any, 0, len(columns)+len(fixColumns))
	for i, c := range columns {
		if !x.fc.at[i] {
			cells = append(cells, c)
		}
	}
	for _, c := range fixColumns {
		cells = append(cells, c)
	}
	return x.put(cells)
}

// close ends the sheet.
func (x *xlsxSheet) close() error {
	if x.sw == nil {
		return nil
	}
	return x.sw.Flush()
}

// styleColumns gives the date and date-time columns of the source's schema a date format, so
// that their date cells show as dates in the fix file, as they did in the source.
func (x *xlsxSheet) styleColumns(src *spec.Source) error {
	rs, err := schemas.LoadRow(src.Schema)
	if err != nil {
		return err
	}
	x.styles = map[string]int{}
	for _, c := range rs.Columns() {
		layout := ""
		switch c.Type {
		case schemas.TypeDate:
			layout = "yyyy-mm-dd"
		case schemas.TypeDateTime:
			layout = "yyyy-mm-dd hh:mm:ss"
		default:
			continue
		}
		id, err := x.book.f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
		if err != nil {
			return err
		}
		x.styles[c.Name] = id
	}
	return nil
}

// row writes the row's cells as the source held them, by their kinds: text (and formula errors)
// as inline strings, never formulas, so that nothing needs a neutraliser and the values stay
// exact ("007" in a string column comes back as "007", not 7, and the text "45000" in a date
// column does not become a date); numbers as numbers; date cells as date-styled numbers (an
// Excel serial); booleans as booleans.
//
// The fix file keeps the source's date system, so that its serials stand for the same dates.
func (x *xlsxSheet) row(r readers.Row, errs string) error {
	if r.Dates == readers.Excel1904 && !x.book.date1904 {
		on := true
		if err := x.book.f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}); err != nil {
			return err
		}
		x.book.date1904 = true
	}
	cells := make([]any, 0, len(r.Values)+1)
	for i, v := range r.Values {
		if x.fc.at[i] {
			continue
		}
		s := fmt.Sprint(v)
		column := ""
		if i < len(r.Columns) {
			column = r.Columns[i]
		}
		kind := r.Kind(i)
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case kind == readers.KindBool:
			cells = append(cells, s == "TRUE")
		case kind == readers.KindText || kind == readers.KindError || err != nil || s == "" || strings.Trim(s, "0123456789+-.eE") != "":
			cells = append(cells, s) // text, or not a decimal number ("Inf", "0x1p3", "1_000"): as it is
		case kind == readers.KindDate || kind == readers.KindDateTime:
			style, err := x.dateStyle(column, kind)
			if err != nil {
				return err
			}
			cells = append(cells, excelize.Cell{StyleID: style, Value: n})
		default:
			cells = append(cells, n) // a number, in whatever column: not a date
		}
	}
	for len(cells) < x.width-len(x.fc.at) {
		cells = append(cells, nil) // a short row: the fix columns under their names
	}
	return x.put(append(cells, errs, x.fc.originOf(r)))
}

// dateStyle is the style of a date cell: its column's, or for a column that is not a date one,
// an ISO date or date-time style by the cell's kind.
func (x *xlsxSheet) dateStyle(column string, kind readers.CellKind) (int, error) {
	if id := x.styles[column]; id != 0 {
		return id, nil
	}
	if id := x.book.kindStyles[kind]; id != 0 {
		return id, nil
	}
	layout := "yyyy-mm-dd"
	if kind == readers.KindDateTime {
		layout = "yyyy-mm-dd hh:mm:ss.000"
	}
	id, err := x.book.f.NewStyle(&excelize.Style{CustomNumFmt: &layout})
	if err != nil {
		return 0, err
	}
	if x.book.kindStyles == nil {
		x.book.kindStyles = map[readers.CellKind]int{}
	}
	x.book.kindStyles[kind] = id
	return id, nil
}

func (x *xlsxSheet) put(cells []any) error {
	cell, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(cell, cells)
}
