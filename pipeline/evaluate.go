package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// sourcePlan is everything one source's rows need on their way to records. Its evaluate method
// is safe for concurrent use: the typer, schema and mappings are.
type sourcePlan struct {
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

// evaluate types, validates and maps one row. Every problem becomes a message on the records
// it concerns: a cell's problem on the records whose mapping reads that cell (on every record of
// the row when none reads it), a problem of the whole row on all of them. A row with problems
// still yields a record for each mapping, keyed by its userObjectId where that can be computed,
// so that the report has a line for it.
func (p *sourcePlan) evaluate(row readers.Row) []Entry {
	typed, msgs := p.check(row)
	setLine(msgs, row.Origin.Line)
	if p.validationOnly {
		return p.validationRecord(row, msgs)
	}
	env := transforms.Env{Row: typed, Outer: outerFields(row.Parent)}
	var entries []Entry
	var mapped []*transforms.Mapping
	for _, m := range p.mappings {
		rec, ok, err := m.Map(env)
		if !ok && err == nil {
			continue // the entity's `when` is false for this row
		}
		if rec.Entity == "" {
			rec.Entity, rec.Kind = m.Name(), p.kind
		}
		entries = append(entries, Entry{Record: rec, Status: Valid, Source: p.spec.Name, Origin: row.Origin})
		if m.UsesParent() {
			entries[len(entries)-1].Env = &env
		}
		mapped = append(mapped, m)
		if err != nil {
			entries[len(entries)-1].Status, entries[len(entries)-1].Messages = Invalid, setLine(mappingMessages(row, err), row.Origin.Line)
		}
	}
	if len(msgs) == 0 {
		return entries
	}
	if len(entries) == 0 {
		// No mapping produced a record, but the row's problems must still reach the report.
		name := ""
		if len(p.mappings) > 0 {
			name = p.mappings[0].Name()
		}
		return []Entry{{Record: transforms.Record{Entity: name, Kind: p.kind},
			Status: Invalid, Source: p.spec.Name, Origin: row.Origin, Messages: msgs}}
	}
	for i := range entries {
		if own := attribute(msgs, mapped[i], mapped); len(own) > 0 {
			// Mapping errors of a record whose cells are bad are mostly echoes of the
			// cell errors: report the cause only.
			entries[i].Status, entries[i].Messages = Invalid, own
		}
	}
	return entries
}

// check types the row and returns its typed values (the cells that could be typed) and the
// problems of the row itself: the reader's, cells that could not be typed, and JSON Schema
// violations (one per cell: a cell that could not be typed is not also reported as missing or of
// the wrong type).
func (p *sourcePlan) check(row readers.Row) (map[string]any, []Message) {
	msgs := rowMessages(row)
	for i := range msgs {
		msgs[i].Cell = p.named(row.Origin, msgs[i].Cell)
	}
	typed, cellErrs := p.typer.Type(row)
	failed := map[string]bool{}
	for _, ce := range cellErrs {
		failed[ce.Column] = true
		msgs = append(msgs, Message{Code: "type", Property: ce.Column, Cell: p.named(row.Origin, row.Cell(ce.Column)),
			Value: shorten(fmt.Sprint(ce.Raw)), Text: ce.Msg})
	}
	for _, c := range []string{ErrorsColumn, OriginColumn} {
		delete(typed, c) // a corrected fix file fed back as the source
	}
	for _, v := range p.schema.Validate(typed) {
		if failed[v.Column] {
			continue
		}
		m := Message{Code: v.Keyword, Property: v.Column, Text: v.Message}
		if v.Column != "" {
			m.Cell = p.named(row.Origin, row.Cell(v.Column))
			raw, inRow := row.Value(v.Column)
			if inRow && raw != nil {
				m.Value = shorten(fmt.Sprint(raw))
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
func (p *sourcePlan) named(o readers.Origin, cell string) string {
	if p.nameFile && o.Sheet != "" && strings.HasPrefix(cell, o.Sheet+"!") {
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
func attribute(msgs []Message, m *transforms.Mapping, all []*transforms.Mapping) []Message {
	var own []Message
	for _, msg := range msgs {
		if msg.Property == "" || m.Uses(msg.Property) || !slices.ContainsFunc(all, func(o *transforms.Mapping) bool { return o.Uses(msg.Property) }) {
			own = append(own, msg)
		}
	}
	return own
}

// setLine sets the line of every message and returns msgs.
func setLine(msgs []Message, line int) []Message {
	for i := range msgs {
		msgs[i].Line = line
	}
	return msgs
}

// rowMessages turns a problem with the whole row (ragged, unreadable) into a message.
func rowMessages(row readers.Row) []Message {
	if row.Err == nil {
		return nil
	}
	var re *readers.RowError
	if errors.As(row.Err, &re) {
		m := Message{Code: "row", Text: re.Msg, Cell: row.Origin.String()}
		if re.Column != "" {
			m.Code, m.Property, m.Cell = "cell", re.Column, row.Origin.Cell(re.Column, re.Index)
		}
		return []Message{m}
	}
	return []Message{{Code: "row", Cell: row.Origin.String(), Text: row.Err.Error()}}
}

// mappingMessages turns a mapping error into one message per failing field.
func mappingMessages(row readers.Row, err error) []Message {
	var me *transforms.MapError
	if errors.As(err, &me) {
		var out []Message
		for _, f := range me.Fields {
			out = append(out, Message{Code: "mapping", Property: f.Field, Cell: row.Origin.String(), Text: f.Field + ": " + f.Msg})
		}
		if len(out) > 0 {
			return out
		}
	}
	return []Message{{Code: "mapping", Cell: row.Origin.String(), Text: err.Error()}}
}

// outerFields gives an exploded JSON row access to the fields of the row it came from.
func outerFields(parent *readers.Row) map[string]any {
	if parent == nil {
		return nil
	}
	m := make(map[string]any, len(parent.Columns))
	for i, c := range parent.Columns {
		if i < len(parent.Values) {
			m[c] = transforms.PlainJSON(parent.Values[i])
		}
	}
	if parent.Parent != nil {
		m["outer"] = outerFields(parent.Parent)
	}
	return m
}
