package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// Findings gathers, in one pass over the entries, what report.html and the annotated workbooks
// show: one Finding per message of every record that has one, in record order, placed on the
// cells of the sources they are about, and the records counted per source, entity, group and
// status. A message with a Line is about that row; a message without one (a conflict between the
// rows of a record) is about each of the record's rows. A message is placed on a cell only when
// its Cell names one of the source's cells; otherwise it is about the row as a whole.
type Findings struct {
	ctx     context.Context
	job     *spec.Job
	List    []Finding
	Tallies []Tally
	// Headers holds what placing a finding needed to know of each source it is about; nil for a
	// JSON source, which has no cells.
	Headers map[string]*SourceHeader
	tally   map[Tally]int // the index in Tallies of each (Tally with Records 0)
}

var _ Writer = (*Findings)(nil)

// NewFindings starts the findings of job's records; ctx bounds the reading of sources' headers.
func NewFindings(ctx context.Context, job *spec.Job) *Findings {
	return &Findings{ctx: ctx, job: job, Headers: map[string]*SourceHeader{}, tally: map[Tally]int{}}
}

// Write counts r and adds its findings.
func (fs *Findings) Write(r *record.Entry) error {
	key := Tally{Source: r.Source, Entity: r.Entity, Group: r.GroupOrder, Status: string(r.Status)}
	i, ok := fs.tally[key]
	if !ok {
		i = len(fs.Tallies)
		fs.tally[key] = i
		fs.Tallies = append(fs.Tallies, key)
	}
	fs.Tallies[i].Records++
	if len(r.Messages) == 0 {
		return nil
	}
	h, ok := fs.Headers[r.Source]
	if !ok {
		src, found := fs.job.Source(r.Source)
		if !found {
			return nil
		}
		var err error
		if h, err = readHeader(fs.ctx, src); err != nil {
			return err
		}
		fs.Headers[r.Source] = h
	}
	if h == nil {
		return nil
	}
	for _, m := range r.Messages {
		if m.Line != 0 {
			fs.List = append(fs.List, h.finding(r, m, m.Line))
			continue
		}
		fs.List = append(fs.List, h.finding(r, m, r.OriginLine))
		for _, row := range r.Further {
			fs.List = append(fs.List, h.finding(r, m, row.Line))
		}
	}
	return nil
}

// Close does nothing: the findings are read from the fields.
func (fs *Findings) Close() error { return nil }

// Abort does nothing.
func (fs *Findings) Abort() {}

// SourceHeader is what placing a message on a cell needs to know about a source.
type SourceHeader struct {
	Src     *spec.Source
	Format  string // csv or xlsx
	Sheet   string
	Columns []string
}

// finding places message m of record r on line of its source.
func (h *SourceHeader) finding(r *record.Entry, m record.Message, line int) Finding {
	f := Finding{Source: r.Source, File: h.Src.Path, Path: h.Src.File, Sheet: h.Sheet, Line: line,
		Index: -1, Cell: m.Cell, Value: m.Value, Entity: r.Entity, UserObjectID: r.UserObjectID, Status: string(r.Status),
		Code: m.Code, Text: m.Text}
	if m.Line == 0 && m.Cell == "" {
		return f // about the record's rows, not a cell
	}
	switch h.Format {
	case "xlsx":
		prefix := h.Sheet + "!"
		if !strings.HasPrefix(m.Cell, prefix) {
			return f
		}
		col, row, err := excelize.CellNameToCoordinates(strings.TrimPrefix(m.Cell, prefix))
		if err != nil || row != line {
			return f
		}
		f.Index = col - 1
		f.Column = m.Property
		if f.Column == "" && f.Index < len(h.Columns) {
			f.Column = h.Columns[f.Index]
		}
	case "csv":
		name, ok := strings.CutPrefix(m.Cell, h.Src.Path+":"+strconv.Itoa(line)+":")
		if !ok {
			return f
		}
		for i, c := range h.Columns {
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
func readHeader(ctx context.Context, src *spec.Source) (*SourceHeader, error) {
	format, err := readers.Format(src)
	if err != nil || (format != "csv" && format != "xlsx") {
		return nil, nil
	}
	in, err := readers.Open(src)
	if err != nil {
		return nil, fmt.Errorf("annotated workbook: %w", err)
	}
	defer in.Close()
	h := &SourceHeader{Src: src, Format: format, Sheet: src.Sheet}
	r, err := in.Next(ctx)
	if errors.Is(err, io.EOF) {
		return h, nil
	}
	if err != nil {
		return nil, fmt.Errorf("annotated workbook: %w", err)
	}
	h.Columns = r.Columns
	if r.Origin.Sheet != "" {
		h.Sheet = r.Origin.Sheet
	}
	return h, nil
}
