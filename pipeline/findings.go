package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// withFindings selects the records that have a finding: those that read with a message.
var withFindings = runstore.Selection{Noted: true}

// sourceHeader is what placing a message on a cell needs to know about a source.
type sourceHeader struct {
	src     *spec.Source
	format  string
	sheet   string
	columns []string
}

// storeFindings returns one report.Finding per message of every record of the store that has one, in
// store order, and the sources they are about. A message with a Line is about that row; a
// message without one (a conflict between the rows of a record) is about each of the record's
// rows. A message is placed on a cell only when its Cell names one of the source's cells;
// otherwise it is about the row as a whole.
func storeFindings(ctx context.Context, s *Store, job *spec.Job) ([]report.Finding, map[string]*sourceHeader, error) {
	lines, err := s.FurtherLines(ctx, withFindings)
	if err != nil {
		return nil, nil, err
	}
	headers := map[string]*sourceHeader{}
	var out []report.Finding
	err = s.Records(ctx, withFindings, func(r StoredRecord) error {
		h, ok := headers[r.Source]
		if !ok {
			src, found := job.Source(r.Source)
			if !found {
				return nil
			}
			if h, err = readHeader(ctx, src); err != nil {
				return err
			}
			headers[r.Source] = h
		}
		if h == nil {
			return nil
		}
		for _, m := range r.Messages {
			on := []int{m.Line}
			if m.Line == 0 {
				on = append([]int{r.OriginLine}, lines[r.Seq]...)
			}
			for _, line := range on {
				out = append(out, h.finding(r, m, line))
			}
		}
		return nil
	})
	return out, headers, err
}

// finding places message m of record r on line of its source.
func (h *sourceHeader) finding(r StoredRecord, m Message, line int) report.Finding {
	f := report.Finding{Source: r.Source, File: h.src.Path, Path: h.src.File, Sheet: h.sheet, Line: line,
		Index: -1, Cell: m.Cell, Value: m.Value, Entity: r.Entity, UserObjectID: r.UserObjectID, Status: string(r.Status),
		Code: m.Code, Text: m.Text}
	if m.Line == 0 && m.Cell == "" {
		return f // about the record's rows, not a cell
	}
	switch h.format {
	case "xlsx":
		prefix := h.sheet + "!"
		if !strings.HasPrefix(m.Cell, prefix) {
			return f
		}
		col, row, err := excelize.CellNameToCoordinates(strings.TrimPrefix(m.Cell, prefix))
		if err != nil || row != line {
			return f
		}
		f.Index = col - 1
		f.Column = m.Property
		if f.Column == "" && f.Index < len(h.columns) {
			f.Column = h.columns[f.Index]
		}
	case "csv":
		name, ok := strings.CutPrefix(m.Cell, h.src.Path+":"+strconv.Itoa(line)+":")
		if !ok {
			return f
		}
		for i, c := range h.columns {
			if c == name {
				f.Index, f.Column = i, c
				break
			}
		}
	}
	if f.Column == "" {
		f.Index = -1
	}
	return f
}

// readHeader reads the first row of a CSV or XLSX source for its columns and sheet; nil for a
// JSON source, which has no cells to annotate.
func readHeader(ctx context.Context, src *spec.Source) (*sourceHeader, error) {
	format, err := readers.Format(src)
	if err != nil || (format != "csv" && format != "xlsx") {
		return nil, nil
	}
	in, err := readers.Open(src)
	if err != nil {
		return nil, fmt.Errorf("annotated workbook: %w", err)
	}
	defer in.Close()
	h := &sourceHeader{src: src, format: format, sheet: src.Sheet}
	r, err := in.Next(ctx)
	if errors.Is(err, io.EOF) {
		return h, nil
	}
	if err != nil {
		return nil, fmt.Errorf("annotated workbook: %w", err)
	}
	h.columns = r.Columns
	if r.Origin.Sheet != "" {
		h.sheet = r.Origin.Sheet
	}
	return h, nil
}
