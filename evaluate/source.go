package evaluate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// Source is everything one source's rows need on their way to records. Its Evaluate and Type
// are safe for concurrent use: the typer, schema and mappings are.
type Source struct {
	spec     *spec.Source
	kind     string // target kind
	reader   readers.Source
	schema   *schemas.RowSchema
	typer    *transforms.Typer
	mappings []*transforms.Mapping
	// nameFile is set when the job reads more than one file: an XLSX cell reference then names
	// its workbook ("sites.xlsx Sites!C4"), since a sheet name alone may be in several.
	nameFile bool
	// validationOnly is set for the sources of a validation-only job: each row is one record
	// (see validation_only.go). folder is set when the source is a folder of JSON documents.
	validationOnly, folder bool
}

// Spec is the source as the job spec declares it.
func (s *Source) Spec() *spec.Source { return s.spec }

// Reader is the open source (nil for a job made by Compile). Stream reads it; a caller that does
// not stream may read it itself, from one goroutine.
func (s *Source) Reader() readers.Source { return s.reader }

// Schema is the source's compiled row schema.
func (s *Source) Schema() *schemas.RowSchema { return s.schema }

// Mappings are the job's mappings of this source's rows, in spec order.
func (s *Source) Mappings() []*transforms.Mapping { return s.mappings }

// Type types a row's cells by the source's schema: the typed values, and the cells that could
// not be typed.
func (s *Source) Type(row readers.Row) (map[string]any, []transforms.CellError) {
	return s.typer.Type(row)
}

// Evaluate types, validates and maps one row. Every problem becomes a message on the records
// it concerns: a cell's problem on the records whose mapping reads that cell (on every record of
// the row when none reads it), a problem of the whole row on all of them. A row with problems
// still yields a record for each mapping, keyed by its userObjectId where that can be computed,
// so that the report has a line for it. The entries' bodies are not encoded (Entry.Encode).
func (s *Source) Evaluate(row readers.Row) []Entry {
	typed, msgs := s.check(row)
	setLine(msgs, row.Origin.Line)
	if s.validationOnly {
		return s.validationRecord(row, msgs)
	}
	env := transforms.Env{Row: typed, Outer: outerFields(row.Parent)}
	var entries []Entry
	var mapped []*transforms.Mapping
	for _, m := range s.mappings {
		rec, ok, err := m.Map(env)
		if !ok && err == nil {
			continue // the entity's `when` is false for this row
		}
		if rec.Entity == "" {
			rec.Entity, rec.Kind = m.Name(), s.kind
		}
		entries = append(entries, Entry{Record: rec, Status: record.Valid, Source: s.spec.Name, Origin: row.Origin})
		if m.UsesParent() {
			entries[len(entries)-1].Remap = &Row{row: env.Row, outer: env.Outer}
		}
		mapped = append(mapped, m)
		if err != nil {
			entries[len(entries)-1].Status, entries[len(entries)-1].Messages = record.Invalid, setLine(mappingMessages(row, err), row.Origin.Line)
		}
	}
	if len(msgs) == 0 {
		return entries
	}
	if len(entries) == 0 {
		// No mapping produced a record, but the row's problems must still reach the report.
		name := ""
		if len(s.mappings) > 0 {
			name = s.mappings[0].Name()
		}
		return []Entry{{Record: transforms.Record{Entity: name, Kind: s.kind},
			Status: record.Invalid, Source: s.spec.Name, Origin: row.Origin, Messages: msgs}}
	}
	for i := range entries {
		if own := attribute(msgs, mapped[i], mapped); len(own) > 0 {
			// Mapping errors of a record whose cells are bad are mostly echoes of the
			// cell errors: report the cause only.
			entries[i].Status, entries[i].Messages = record.Invalid, own
		}
	}
	return entries
}

// check types the row and returns its typed values (the cells that could be typed) and the
// problems of the row itself: the reader's, cells that could not be typed, and JSON Schema
// violations (one per cell: a cell that could not be typed is not also reported as missing or of
// the wrong type).
func (s *Source) check(row readers.Row) (map[string]any, []record.Message) {
	msgs := rowMessages(row)
	for i := range msgs {
		msgs[i].Cell = s.named(row.Origin, msgs[i].Cell)
	}
	typed, cellErrs := s.typer.Type(row)
	failed := map[string]bool{}
	for _, ce := range cellErrs {
		failed[ce.Column] = true
		msgs = append(msgs, record.Message{Code: "type", Property: ce.Column, Cell: s.named(row.Origin, row.Cell(ce.Column)),
			Value: record.Shorten(fmt.Sprint(ce.Raw)), Text: ce.Msg})
	}
	for _, c := range record.FixColumns {
		delete(typed, c) // a corrected fix file fed back as the source
	}
	for _, v := range s.schema.Validate(typed) {
		if failed[v.Column] {
			continue
		}
		m := record.Message{Code: v.Keyword, Property: v.Column, Text: v.Message}
		if v.Column != "" {
			m.Cell = s.named(row.Origin, row.Cell(v.Column))
			raw, inRow := row.Value(v.Column)
			if inRow && raw != nil {
				m.Value = record.Shorten(fmt.Sprint(raw))
			}
			if missing(v) {
				// "Sites!C4: description is missing": the cell's reference alone does not say
				// which column it is, and a column the row lacks has no cell.
				m.Text = v.Column + " is " + v.Message
				if !inRow {
					m.Cell = row.Origin.String()
				}
			}
		}
		msgs = append(msgs, m)
	}
	return typed, msgs
}

// named puts the file in front of an XLSX cell reference ("Sites!C4") of a row from o when the job
// reads more than one file; other references (CSV, JSON, a whole row) name their file already.
func (s *Source) named(o readers.Origin, cell string) string {
	if s.nameFile && o.Sheet != "" && strings.HasPrefix(cell, o.Sheet+"!") {
		return o.File + " " + cell
	}
	return cell
}

// missing reports whether v says that a top-level property is absent: its Message then starts
// with "missing".
func missing(v schemas.Violation) bool {
	return (v.Keyword == "required" || v.Keyword == "dependentRequired") && v.Path == "" && strings.HasPrefix(v.Message, "missing")
}

// attribute returns the messages of msgs that concern the record of mapping m, given every
// mapping that produced a record from the row: those without a column, those of a column m
// reads, and those of a column none of them reads.
func attribute(msgs []record.Message, m *transforms.Mapping, all []*transforms.Mapping) []record.Message {
	var own []record.Message
	for _, msg := range msgs {
		if msg.Property == "" || m.Uses(msg.Property) || !slices.ContainsFunc(all, func(o *transforms.Mapping) bool { return o.Uses(msg.Property) }) {
			own = append(own, msg)
		}
	}
	return own
}
