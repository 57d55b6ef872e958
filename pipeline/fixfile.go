package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// writeFixFiles writes, for every source with invalid or failed rows, those rows in their original columns
// plus ErrorsColumn: CSV for CSV sources (same delimiter and encoding), XLSX for XLSX sources
// (header on the same row), JSONL for JSON sources. The rows are read again from the source, so
// the fix file holds exactly what the file holds, with one exception in CSV fix files:
//
// A CSV cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
// carriage return, and not a plain number such as -12.5: see cellSafe) is written with a single
// quote in front, the neutraliser, so that opening the fix file runs nothing. The readers do not
// take the quote away (it could be real data), so it is part of the value when the fix file is
// run as the source: the row's ErrorsColumn cell names every cell that got one ("' added in
// front …; delete it before running this file as the source"), for the user to delete it while
// correcting the row. Column names that the source's schema declares are left as they are, so
// that the fix file is read with the same schema; other column names are neutralised too.
// XLSX fix files need no neutraliser (their strings are inline strings, never formulas) and JSONL
// fix files are not spreadsheets: both hold the values exactly.
func writeFixFiles(ctx context.Context, dir string, job *spec.Job, store *Store, sum *Summary) error {
	invalid, err := store.RowsToFix(ctx)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(invalid))
	for name := range invalid {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		src, ok := job.Source(name)
		if !ok {
			continue
		}
		file, err := writeFixFile(ctx, filepath.Join(dir, FixDir), src, invalid[name])
		if err != nil {
			return fmt.Errorf("fix file for source %s: %w", name, err)
		}
		rel, _ := filepath.Rel(dir, file)
		sum.FixFiles = append(sum.FixFiles, rel)
	}
	return nil
}

// fixWriter writes the rows of one fix file.
type fixWriter interface {
	header(columns []string) error
	row(r readers.Row, errs string) error
	close() error
}

func writeFixFile(ctx context.Context, dir string, src *spec.Source, rows map[RowRef][]Message) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	format, err := readers.Format(src)
	if err != nil {
		return "", err
	}
	in, err := readers.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	// The fix file is written under a temporary name and renamed once whole (tmpPath, commitFile).
	var w fixWriter
	var path string
	switch format {
	case "csv":
		path = filepath.Join(dir, src.Name+".csv")
		var rs *schemas.RowSchema
		if rs, err = schemas.LoadRow(src.Schema); err == nil {
			w, err = newCSVFix(tmpPath(path), in, rs)
		}
	case "xlsx":
		path = filepath.Join(dir, src.Name+".xlsx")
		w, err = newXLSXFix(tmpPath(path), src)
		if err == nil {
			err = w.(*xlsxFix).styleColumns(src)
		}
	default:
		path = filepath.Join(dir, src.Name+".jsonl")
		w, err = newJSONFix(tmpPath(path))
	}
	defer os.Remove(tmpPath(path)) // unless renamed into place
	if err != nil {
		return "", err
	}
	wroteHeader := false
	// Reading stops after the last invalid row, so a source whose end could not be read (the
	// run then reports only the rows before that) still gets its fix file.
	for left := len(rows); left > 0; {
		r, err := in.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.close()
			return "", err
		}
		ms, ok := rows[RowRef{Source: src.Name, Line: r.Origin.Line, Path: r.Origin.Path}]
		if !ok {
			continue
		}
		left--
		if !wroteHeader {
			if err := w.header(r.Columns); err != nil {
				w.close()
				return "", err
			}
			wroteHeader = true
		}
		if err := w.row(r, joinMessages(ms)); err != nil {
			w.close()
			return "", err
		}
	}
	if err := w.close(); err != nil {
		return "", err
	}
	return path, commitFile(path)
}
