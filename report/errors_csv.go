package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// ErrorsCSV is the run directory's file of messages, one line each, for filtering in a
// spreadsheet.
const ErrorsCSV = "errors.csv"

// utf8BOM starts report.csv and errors.csv: without it, Excel on Windows reads a CSV file in the
// system's code page and garbles its non-ASCII text.
const utf8BOM = "\ufeff"

// errorsHeader is errors.csv's first line.
var errorsHeader = []string{"record", "entity", "status", "cell", "column", "value", "code", "message"}

// errorsWriter writes errors.csv: one line per message of every record, with the record's
// userObjectId, entity and status, the cell, column and value the message is about, and its code
// and text. A message about no cell (a conflict between a record's rows, a refused record) names
// the record's rows in the cell column. Like report.csv, every cell a spreadsheet would run as a
// formula is neutralised (CellSafe).
type errorsWriter struct {
	cw *csv.Writer
}

// newErrorsWriter writes the BOM and the header to w.
func newErrorsWriter(w io.Writer) (*errorsWriter, error) {
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	e := &errorsWriter{cw: csv.NewWriter(w)}
	return e, e.cw.Write(errorsHeader)
}

// write writes the lines of r's messages.
func (e *errorsWriter) write(r *record.Entry) error {
	for _, m := range r.Messages {
		cell := m.Cell
		if cell == "" {
			cell = strings.Join(r.Rows, ", ")
		}
		if err := e.cw.Write(CellsSafe([]string{r.UserObjectID, r.Entity, string(r.Status), cell, m.Property, m.Value, m.Code, m.Text})); err != nil {
			return err
		}
	}
	return nil
}

// flush writes what is buffered.
func (e *errorsWriter) flush() error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
