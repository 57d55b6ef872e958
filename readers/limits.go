package readers

import (
	"cmp"
	"errors"
	"fmt"
)

// Limits bounds what a CSV or XLSX reader accepts from one file, so that a hostile or damaged file
// ends in an error that names the limit it broke, instead of in exhausted memory or disk or in
// minutes of work. A zero field means the field of DefaultLimits; a negative one is an error.
// JSON sources are not bounded by Limits.
type Limits struct {
	// WorkbookBytes bounds an XLSX workbook's uncompressed size: the sum of the sizes its zip
	// entries declare, checked before anything is inflated. An entry cannot inflate to more than it
	// declares: archive/zip stops with an error there, so a zip bomb cannot lie its way past.
	WorkbookBytes int64
	// SheetXMLBytes bounds the uncompressed size of one worksheet's XML and of the shared strings
	// table. A sheet is streamed; the shared strings table is held in memory as text, so this
	// bounds the memory it may take.
	SheetXMLBytes int64
	// CellBytes bounds one cell's value in bytes of UTF-8 (for CSV, after decoding). A longer cell
	// is an error of its row (Row.Err), which still carries the value, so nothing is lost.
	CellBytes int
	// RecordBytes bounds one CSV record as it stands in the file, quotes and line breaks included.
	// Reading stops with an error once a record has taken more, having held little more than this
	// of it: the defence against a quote that is never closed in a large file.
	RecordBytes int
	// Columns bounds the number of columns of the header (CSV and XLSX).
	Columns int
}

// The built-in limits, the values of DefaultLimits.
const (
	// A workbook or one sheet of 1 GiB unpacked holds millions of rows: more than any import this
	// tool is for, and far less than a zip bomb (deflate packs about 1,000 to 1).
	defaultWorkbookBytes = 1 << 30
	defaultSheetXMLBytes = 1 << 30
	// 1 MiB per cell: 32 times what Excel lets a cell hold (32,767 characters), and more than any
	// field of the target APIs, while 10 cells at the limit still fit a row in a few MiB. A field
	// that must be shorter is the JSON Schema's business (maxLength), not a reader's.
	defaultCellBytes = 1 << 20
	// 16 MiB per CSV record: 16 cells at the cell limit, or 16,384 columns of 1 KiB each.
	defaultRecordBytes = 16 << 20
	// 16,384 columns: the most an XLSX sheet can hold (A to XFD). A header wider than that is not a
	// table, and every row of it would cost that many values.
	defaultColumns = 16384
)

// DefaultLimits are the limits of Open, OpenCSV, OpenXLSX and OpenLookup, and those that
// OpenWithLimits puts in place of zero fields. A program may change them once at start-up, before
// it opens any source; they are read without synchronisation.
var DefaultLimits = Limits{
	WorkbookBytes: defaultWorkbookBytes,
	SheetXMLBytes: defaultSheetXMLBytes,
	CellBytes:     defaultCellBytes,
	RecordBytes:   defaultRecordBytes,
	Columns:       defaultColumns,
}

// withDefaults returns l with each zero field taken from DefaultLimits, or from the built-in value
// when that is zero too.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	l.WorkbookBytes = cmp.Or(l.WorkbookBytes, d.WorkbookBytes, defaultWorkbookBytes)
	l.SheetXMLBytes = cmp.Or(l.SheetXMLBytes, d.SheetXMLBytes, defaultSheetXMLBytes)
	l.CellBytes = cmp.Or(l.CellBytes, d.CellBytes, defaultCellBytes)
	l.RecordBytes = cmp.Or(l.RecordBytes, d.RecordBytes, defaultRecordBytes)
	l.Columns = cmp.Or(l.Columns, d.Columns, defaultColumns)
	return l
}

// Validate reports every negative field; zero fields are valid (they mean the default).
func (l Limits) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"WorkbookBytes", l.WorkbookBytes},
		{"SheetXMLBytes", l.SheetXMLBytes},
		{"CellBytes", int64(l.CellBytes)},
		{"RecordBytes", int64(l.RecordBytes)},
		{"Columns", int64(l.Columns)},
	} {
		if f.v < 0 {
			errs = append(errs, fmt.Errorf("readers.Limits.%s is %d: must be 0 (the default) or more", f.name, f.v))
		}
	}
	return errors.Join(errs...)
}

// resolve returns l with its defaults filled in, or the error of Validate.
func (l Limits) resolve() (Limits, error) {
	if err := l.Validate(); err != nil {
		return Limits{}, err
	}
	return l.withDefaults(), nil
}

// formatBytes renders a size for messages: "512 bytes", "16 MiB", "1.5 GiB".
func formatBytes(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	size, unit := float64(n)/(1<<10), units[0]
	for _, u := range units[1:] {
		if size < 1<<10 {
			break
		}
		size, unit = size/(1<<10), u
	}
	if size == float64(int64(size)) {
		return fmt.Sprintf("%d %s", int64(size), unit)
	}
	return fmt.Sprintf("%.1f %s", size, unit)
}

// limitMsg says that a size is over a limit: "10485760 bytes, more than the 1 MiB limit for one
// cell". what names the limit.
func limitMsg(n, limit int64, what string) string {
	return fmt.Sprintf("%d bytes, more than the %s limit for %s", n, formatBytes(limit), what)
}
