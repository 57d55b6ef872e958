package readers

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulkload/bulkload/spec"
)

// Open opens the source the spec describes, choosing the reader by src.Format or, when that is
// empty, by the file's extension (.csv, .txt, .tsv -> CSV; .xlsx, .xlsm -> XLSX; .json, a folder
// -> JSON; .jsonl, .ndjson -> JSONL). The header (CSV, XLSX) is read and checked here, so a bad
// header is an error of Open, before any row is read.
//
// CSV and XLSX sources are read within the source's limits (src.Limits), and DefaultLimits where
// it sets none.
func Open(src *spec.Source) (Source, error) {
	l := src.Limits
	return OpenWithLimits(src, Limits{WorkbookBytes: l.WorkbookBytes, SheetXMLBytes: l.SheetBytes,
		CellBytes: int(l.CellBytes), RecordBytes: int(l.RecordBytes), Columns: l.Columns})
}

// OpenHead opens the source as Open does, for reading its first rows only, at the same cost
// whatever the file's size: a CSV file's encoding is not checked over the whole file first (each
// cell's UTF-8 still is, as it is read), and an XLSX sheet's XML is not scanned ahead, so a blank
// header cell is no column whatever lies under it, and rows out of order or shared-string
// references beyond the table are found only when their row is read. An XLSX workbook's shared
// strings table is still read whole. JSON sources are read as by Open.
func OpenHead(src *spec.Source) (Source, error) {
	l := src.Limits
	lim, err := Limits{WorkbookBytes: l.WorkbookBytes, SheetXMLBytes: l.SheetBytes,
		CellBytes: int(l.CellBytes), RecordBytes: int(l.RecordBytes), Columns: l.Columns}.resolve()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Path, err)
	}
	switch format, err := Format(src); {
	case err != nil:
		return nil, err
	case format == "csv":
		return openCSVHead(src, lim, true)
	case format == "xlsx":
		return openXLSXHead(src, lim, true)
	}
	return OpenWithLimits(src, lim)
}

// OpenWithLimits opens the source as Open does, reading a CSV or XLSX file within lim (zero
// fields: those of DefaultLimits). Negative limits are an error, before the file is opened.
func OpenWithLimits(src *spec.Source, lim Limits) (Source, error) {
	format, err := Format(src)
	if err != nil {
		return nil, err
	}
	if lim, err = lim.resolve(); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Path, err)
	}
	switch format {
	case "csv":
		return openCSV(src, lim)
	case "xlsx":
		return openXLSX(src, lim)
	default:
		return OpenJSON(src)
	}
}

// Format returns the source's format: its declared Format, or the one its path implies.
func Format(src *spec.Source) (string, error) {
	if src.Format != "" {
		return src.Format, nil
	}
	if fi, err := os.Stat(src.File); err == nil && fi.IsDir() {
		return "json", nil
	}
	switch strings.ToLower(filepath.Ext(src.File)) {
	case ".csv", ".txt", ".tsv":
		return "csv", nil
	case ".xlsx", ".xlsm":
		return "xlsx", nil
	case ".json":
		return "json", nil
	case ".jsonl", ".ndjson":
		return "jsonl", nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the extension %q; declare format: csv, xlsx, json or jsonl", src.Path, filepath.Ext(src.File))
}
