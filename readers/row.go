package readers

import (
	"context"
	"fmt"
	"strings"
)

// Origin says where a row came from. It is comparable and cheap to copy.
type Origin struct {
	// File is the source file as the spec names it (relative to the spec's folder), so reports
	// stay meaningful on another machine.
	File string
	// Sheet is the XLSX sheet name; empty for CSV and JSON.
	Sheet string
	// Line is 1-based: the CSV line on which the record starts, the Excel row number, the JSONL
	// line, or the element's position in a JSON array (1 for a single-object file).
	Line int
	// Path is, for JSON only, the JSON pointer of the row inside its document, such as
	// "/Orderlines/2" for an exploded child row; empty for the document's own row.
	Path string
	// cols maps, for XLSX, the index of a header column to its column in the sheet (they differ
	// when blank header cells are no columns); nil: they are the same.
	cols *columnMap
}

// String renders the origin for messages: "orders.csv:12", "sites.xlsx Sites!12" or
// "orders/0001.json:1/Orderlines/2".
func (o Origin) String() string {
	switch {
	case o.Sheet != "":
		return fmt.Sprintf("%s %s!%d", o.File, o.Sheet, o.Line)
	default:
		return fmt.Sprintf("%s:%d%s", o.File, o.Line, o.Path)
	}
}

// Cell names one cell of the row: "Sites!C12" for XLSX (index is the 0-based column index in the
// sheet), "orders.csv:12:order_no" for CSV, "orders/1.json:1/Orderlines/2/Qty" for JSON.
func (o Origin) Cell(column string, index int) string {
	switch {
	case o.Sheet != "":
		return fmt.Sprintf("%s!%s%d", o.Sheet, ColumnLetters(o.cols.sheetColumn(index)), o.Line)
	case o.Path != "" || strings.HasSuffix(strings.ToLower(o.File), ".json") || strings.HasSuffix(strings.ToLower(o.File), ".jsonl"):
		return fmt.Sprintf("%s:%d%s/%s", o.File, o.Line, o.Path, column)
	default:
		return fmt.Sprintf("%s:%d:%s", o.File, o.Line, column)
	}
}

// ColumnLetters converts a 0-based column index to spreadsheet letters: 0 -> "A", 27 -> "AB".
func ColumnLetters(index int) string {
	if index < 0 {
		return "?"
	}
	var b []byte
	for n := index + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// DateSystem says how a numeric cell in a date column is to be read.
type DateSystem int

const (
	// NoSerialDates: the source stores dates as text (CSV, JSON).
	NoSerialDates DateSystem = iota
	// Excel1900 serial numbers (the default date system of Excel workbooks).
	Excel1900
	// Excel1904 serial numbers (workbooks with the 1904 date system).
	Excel1904
)

// Row is one record of a source.
//
// Values has one entry per column, in header order: a string for CSV and XLSX cells ("" when the
// cell is empty; XLSX values as their CellKind describes), and decoded JSON for JSON sources
// (string, json.Number, bool, nil, map[string]any, []any; nil also for a key the document lacks).
// Kinds has, for an XLSX row, the kind of each value; it is nil for CSV and JSON rows.
type Row struct {
	Origin Origin
	// Columns holds the header names in source order. It is shared by all rows of one source and
	// MUST NOT be modified.
	Columns []string
	Values  []any
	Kinds   []CellKind
	// Dates is the workbook's date system, in which the serials of date cells are read.
	Dates DateSystem
	// Parent is, for a row exploded from a nested JSON array, the row it was exploded from.
	Parent *Row
	// Err is a problem with the row as a whole (a ragged CSV record, say). The row is still
	// delivered with the values that could be read, so that nothing is lost; Err is a *RowError.
	Err error
}

// Cell names the cell of the given column, as Origin.Cell does; "" columns name the row.
func (r Row) Cell(column string) string {
	if column == "" {
		return r.Origin.String()
	}
	for i, c := range r.Columns {
		if c == column {
			return r.Origin.Cell(column, i)
		}
	}
	return r.Origin.String() + ": " + column
}

// Value returns the value of the named column and whether the row has that column.
func (r Row) Value(column string) (any, bool) {
	for i, c := range r.Columns {
		if c == column {
			if i < len(r.Values) {
				return r.Values[i], true
			}
			return nil, true
		}
	}
	return nil, false
}

// RowError is a problem with one row or one cell of a source. Column is empty when the problem
// concerns the whole row.
type RowError struct {
	Origin Origin
	Column string
	Index  int // 0-based column index, -1 when Column is empty
	Msg    string
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return e.Origin.String() + ": " + e.Msg
	}
	return e.Origin.Cell(e.Column, e.Index) + ": " + e.Msg
}

// Source is a stream of rows from one file (or one sheet, or one folder of JSON files).
//
// Next returns the next row, io.EOF after the last one, or another error when the source cannot
// be read on (a truncated file, malformed XML, an I/O error); such errors name the file and,
// where known, the line. A problem confined to one row is not an error of Next: the row comes back
// with Row.Err set. Next is not safe for concurrent use. Close releases the file and any
// temporary files; it is safe to call more than once.
type Source interface {
	Next(ctx context.Context) (Row, error)
	Close() error
}
