package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// FixDir is the run directory's folder of fix files.
const FixDir = "fix"

// FixFiles writes, for every source with invalid or failed rows, those rows in their original
// columns plus the fix columns (ErrorsColumn, OriginColumn): fix/<source>.csv for a CSV source,
// framed as the source (see csvFix); for the sources read from one workbook, one fix workbook
// fix/<workbook>.xlsx with a sheet per source, of the source's sheet name and with the header on
// the source's header row, so that `--source NAME=fix/<workbook>.xlsx` reads each source's rows
// with the same spec; fix/<source>.jsonl for a JSON source. The rows are read again from the source, so
// the fix file holds exactly what the file holds, with one exception in CSV fix files:
//
// A CSV cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a
// carriage return, and not a plain number such as -12.5: see CellSafe) is written with a single
// quote in front, the neutraliser, so that opening the fix file runs nothing. The readers do not
// take the quote away (it could be real data), so it is part of the value when the fix file is
// run as the source: the row's ErrorsColumn cell names every cell that got one ("' added in
// front …; delete it before running this file as the source"), for the user to delete it while
// correcting the row. Column names that the source's schema declares are left as they are, so
// that the fix file is read with the same schema; other column names are neutralised too.
// XLSX fix files need no neutraliser (their strings are inline strings, never formulas) and JSONL
// fix files are not spreadsheets: both hold the values exactly.
//
// The rows to fix are those of the invalid and failed records, each with the messages of its
// records that are about it (its own line, or the record as a whole), each message once.
type FixFiles struct {
	ctx context.Context
	dir string
	job *spec.Job
	sum *Summary
	// own and further hold, per source and row, the messages of the records the row is the first
	// row of, and of the records it is a further row of: a row shows the former first.
	own, further map[string]map[record.RowRef][]record.Message
}

var _ Writer = (*FixFiles)(nil)

// NewFixFiles starts the fix files of job in dir, listing them in sum; ctx bounds the reading
// of the sources.
func NewFixFiles(ctx context.Context, dir string, job *spec.Job, sum *Summary) *FixFiles {
	return &FixFiles{ctx: ctx, dir: dir, job: job, sum: sum,
		own: map[string]map[record.RowRef][]record.Message{}, further: map[string]map[record.RowRef][]record.Message{}}
}

// Write keeps the rows of r to fix, if it is invalid or failed.
func (w *FixFiles) Write(r *record.Entry) error {
	if r.Status != record.Invalid && r.Status != record.Failed {
		return nil
	}
	addRow(w.own, record.RowRef{Source: r.Source, Line: r.OriginLine, Path: r.OriginPath}, r.Messages)
	for _, ref := range r.Further {
		addRow(w.further, ref.Ref(), r.Messages)
	}
	return nil
}

// addRow adds to rows[ref] the messages of ms about ref's row that it does not hold yet.
func addRow(rows map[string]map[record.RowRef][]record.Message, ref record.RowRef, ms []record.Message) {
	if rows[ref.Source] == nil {
		rows[ref.Source] = map[record.RowRef][]record.Message{}
	}
	have, ok := rows[ref.Source][ref]
	if !ok {
		have = []record.Message{} // a row to fix, with or without a message of its own
	}
	rows[ref.Source][ref] = appendNew(have, ref.Line, ms)
}

func appendNew(have []record.Message, line int, ms []record.Message) []record.Message {
next:
	for _, m := range ms {
		if m.Line != 0 && m.Line != line {
			continue // about another row of the record
		}
		for _, h := range have {
			if h == m {
				continue next
			}
		}
		have = append(have, m)
	}
	return have
}

// Close writes the fix files.
func (w *FixFiles) Close() error {
	return writeFixFiles(w.ctx, w.dir, w.job, w.rows(), w.sum)
}

// rows returns, per source, the rows to fix and their messages.
func (w *FixFiles) rows() map[string]map[record.RowRef][]record.Message {
	invalid := w.own
	for src, rows := range w.further {
		if invalid[src] == nil {
			invalid[src] = map[record.RowRef][]record.Message{}
		}
		for ref, ms := range rows {
			invalid[src][ref] = appendNew(invalid[src][ref], ref.Line, ms)
		}
	}
	return invalid
}

// Abort does nothing: a fix file is put in place whole by Close, or not at all.
func (w *FixFiles) Abort() {}

// writeFixFiles writes the fix files of the rows invalid holds by source (see FixFiles).
func writeFixFiles(ctx context.Context, dir string, job *spec.Job, invalid map[string]map[record.RowRef][]record.Message, sum *Summary) error {
	fixDir := filepath.Join(dir, FixDir)
	var workbooks []string                // the XLSX files, in the order of their first source
	sheets := map[string][]*spec.Source{} // their sources with rows to fix, in the spec's order
	for i := range job.Sources {
		src := &job.Sources[i]
		if len(invalid[src.Name]) == 0 {
			continue
		}
		if err := os.MkdirAll(fixDir, 0o755); err != nil {
			return err
		}
		format, err := readers.Format(src)
		if err != nil {
			return fmt.Errorf("fix file for source %s: %w", src.Name, err)
		}
		if format == "xlsx" {
			if sheets[src.File] == nil {
				workbooks = append(workbooks, src.File)
			}
			sheets[src.File] = append(sheets[src.File], src)
			continue
		}
		file, err := writeFixFile(ctx, fixDir, src, format, invalid[src.Name])
		if err != nil {
			return fmt.Errorf("fix file for source %s: %w", src.Name, err)
		}
		sum.FixFiles = append(sum.FixFiles, filepath.Join(FixDir, filepath.Base(file)))
	}
	taken := map[string]bool{}
	for _, book := range workbooks {
		file := fixWorkbookPath(fixDir, book, taken)
		if err := writeFixWorkbook(ctx, file, sheets[book], invalid); err != nil {
			return fmt.Errorf("fix workbook for %s: %w", sheets[book][0].Path, err)
		}
		sum.FixFiles = append(sum.FixFiles, filepath.Join(FixDir, filepath.Base(file)))
	}
	return nil
}

// fixWorkbookPath names the fix workbook of a workbook: its own name with .xlsx (a macro
// workbook's fix file holds no macros), "-2", "-3" … added for a second workbook of the same name.
func fixWorkbookPath(dir, book string, taken map[string]bool) string {
	base := strings.TrimSuffix(filepath.Base(book), filepath.Ext(book))
	name := base + ".xlsx"
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d.xlsx", base, n)
	}
	taken[name] = true
	return filepath.Join(dir, name)
}

// fixWriter writes the rows of one fix file (or of one sheet of a fix workbook).
type fixWriter interface {
	// header starts the file with the columns of r, the first row it gets.
	header(r readers.Row) error
	row(r readers.Row, errs string) error
	close() error
}

// writeFixFile writes the fix file of a CSV or JSON source.
func writeFixFile(ctx context.Context, dir string, src *spec.Source, format string, rows map[record.RowRef][]record.Message) (string, error) {
	in, err := readers.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	// The fix file is written under a temporary name and renamed once whole (TmpPath, CommitFile).
	var w fixWriter
	var path string
	switch format {
	case "csv":
		path = filepath.Join(dir, src.Name+".csv")
		var rs *schemas.RowSchema
		if rs, err = schemas.LoadRow(src.Schema); err == nil {
			w, err = newCSVFix(TmpPath(path), in, rs)
		}
	default:
		path = filepath.Join(dir, src.Name+".jsonl")
		w, err = newJSONFix(TmpPath(path))
	}
	defer os.Remove(TmpPath(path)) // unless renamed into place
	if err != nil {
		return "", err
	}
	if err := copyRows(ctx, in, src, rows, w); err != nil {
		w.close()
		return "", err
	}
	if err := w.close(); err != nil {
		return "", err
	}
	return path, CommitFile(path)
}

// writeFixWorkbook writes one fix workbook for the sources read from one workbook.
func writeFixWorkbook(ctx context.Context, path string, srcs []*spec.Source, invalid map[string]map[record.RowRef][]record.Message) error {
	defer os.Remove(TmpPath(path)) // unless renamed into place
	book := newXLSXFix(TmpPath(path))
	for _, src := range srcs {
		if err := writeFixSheet(ctx, book, src, invalid[src.Name]); err != nil {
			book.discard()
			return fmt.Errorf("source %s: %w", src.Name, err)
		}
	}
	if err := book.close(); err != nil {
		return err
	}
	return CommitFile(path)
}

func writeFixSheet(ctx context.Context, book *xlsxFix, src *spec.Source, rows map[record.RowRef][]record.Message) error {
	in, err := readers.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	sheet, err := book.sheet(src)
	if err != nil {
		return err
	}
	if err := copyRows(ctx, in, src, rows, sheet); err != nil {
		return err
	}
	return sheet.close()
}

// copyRows writes the rows of in that rows holds to w, with their messages. Reading stops after
// the last of them, so a source whose end could not be read (the run then reports only the rows
// before that) still gets its fix file.
func copyRows(ctx context.Context, in readers.Source, src *spec.Source, rows map[record.RowRef][]record.Message, w fixWriter) error {
	wroteHeader := false
	for left := len(rows); left > 0; {
		r, err := in.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		ms, ok := rows[record.RowRef{Source: src.Name, Line: r.Origin.Line, Path: r.Origin.Path}]
		if !ok {
			continue
		}
		left--
		if !wroteHeader {
			if err := w.header(r); err != nil {
				return err
			}
			wroteHeader = true
		}
		if err := w.row(r, JoinMessages(ms)); err != nil {
			return err
		}
	}
	return nil
}
