package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// sentStatuses selects the records whose messages may hold the target's answer.
var sentStatuses = runstore.Selection{Statuses: []record.Status{record.Failed, record.Unknown, record.Succeeded}, HasMessages: true}

// tracer puts every message of the target that names a property on the cells that property is
// built from: the property is found in the record's mapping (transforms' FieldColumns), its
// columns in the record's row, read again from the source. A message naming several columns
// becomes one message per column, each with the cell, the column and the value; one whose
// property is built from no column keeps the property and says so. The server's code and text
// are kept; Field keeps the server's name of the property. Messages already traced (with a Cell)
// are left as they are, so tracing again, as a resumed run does, changes nothing. A dry run has
// no server messages: its tracer is nil.
type tracer struct {
	fields map[string]map[string][]string     // entity -> field -> columns
	rows   map[string]map[string]*readers.Row // source -> origin -> the row read again
	files  int                                // the source files of the job
}

// newTracer reads again the rows of the records of store whose messages name a property of the
// target, and compiles job's mappings for their fields; nil when no record has such a message.
func newTracer(ctx context.Context, job *spec.Job, store *Store) (*tracer, error) {
	wanted := map[string]map[string]*readers.Row{}
	err := store.Records(ctx, sentStatuses, func(r StoredRecord) error {
		for _, m := range r.Messages {
			if len(serverProperties(m)) > 0 {
				if wanted[r.Source] == nil {
					wanted[r.Source] = map[string]*readers.Row{}
				}
				wanted[r.Source][r.Origin] = nil
				break
			}
		}
		return nil
	})
	if err != nil || len(wanted) == 0 {
		return nil, err
	}
	mappings, err := transforms.Compile(job)
	if err != nil {
		return nil, fmt.Errorf("tracing the server's messages: %w", err)
	}
	t := &tracer{fields: map[string]map[string][]string{}, rows: wanted}
	for _, src := range job.Sources {
		for _, m := range mappings.ForSource(src.Name) {
			t.fields[m.Name()] = m.FieldColumns()
		}
	}
	for name, rows := range wanted {
		src, ok := job.Source(name)
		if !ok {
			continue
		}
		// A source that cannot be read again (moved since the run) leaves the messages on
		// their columns without cells.
		if err := readRows(ctx, src, rows); err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	files := map[string]bool{}
	for _, src := range job.Sources {
		files[src.File] = true
	}
	t.files = len(files)
	return t, nil
}

// trace rewrites r's messages about the target's properties onto their cells; a nil tracer
// leaves r as it is.
func (t *tracer) trace(r *record.Entry) {
	if t == nil || r.Status != Failed && r.Status != Unknown && r.Status != Succeeded {
		return
	}
	var out []Message
	for i, m := range r.Messages {
		names := serverProperties(m)
		if len(names) == 0 {
			if out != nil {
				out = append(out, m)
			}
			continue
		}
		if out == nil {
			out = append(make([]Message, 0, len(r.Messages)+1), r.Messages[:i]...)
		}
		out = append(out, traced(m, names, t.fields[r.Entity], r.EntityType, t.rows[r.Source][r.Origin], t.files > 1)...)
	}
	if out != nil {
		r.Messages = out
	}
}

// lookupPath finds On Key's property paths in a message's text: "{Site->SiteType_Id}".
var lookupPath = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*(?:->[A-Za-z][A-Za-z0-9_]*)+`)

// serverProperties returns the target's names of the properties an untraced message is about:
// its Property (On Key's properties list, an Onix Work field or memberNames, joined by ", "),
// else the On Key property paths its text names. Nil for a message already on a cell or about
// no property.
func serverProperties(m Message) []string {
	if m.Cell != "" || m.Line != 0 || m.Field != "" {
		return nil
	}
	if m.Property != "" {
		return strings.Split(m.Property, ", ")
	}
	return lookupPath.FindAllString(m.Text, -1)
}

// traced turns message m about the target's properties names into messages on the cells of row
// (nil when the row was not found again) that the mapping fields read.
func traced(m Message, names []string, fields map[string][]string, entityType string, row *readers.Row, nameFile bool) []Message {
	var columns []string
	for _, name := range names {
		for _, c := range fieldColumns(name, fields, entityType) {
			if !contains(columns, c) {
				columns = append(columns, c)
			}
		}
	}
	field := strings.Join(names, ", ")
	if len(columns) == 0 {
		m.Field = field
		m.Text += " (bulkload found no source column for " + field + ")"
		return []Message{m}
	}
	out := make([]Message, 0, len(columns))
	for _, c := range columns {
		t := m
		t.Field, t.Property = field, c
		if row != nil {
			t.Line = row.Origin.Line
			t.Cell = row.Cell(c)
			if nameFile && row.Origin.Sheet != "" && strings.HasPrefix(t.Cell, row.Origin.Sheet+"!") {
				t.Cell = row.Origin.File + " " + t.Cell
			}
			if v, ok := row.Value(c); ok && v != nil {
				t.Value = shorten(fmt.Sprint(v))
			}
		}
		out = append(out, t)
	}
	return out
}

// fieldColumns returns the columns of the mapping fields that the target's property name is
// about. On Key names a property "Site->SiteType_Id" (or "siteTypeId"), Onix Work a member
// "customerName", "Lines[0].Qty" or "$.lines[0].qty"; each is compared with the mapping's
// property names without case and underscores, on its first segment. A name that is the
// entity type alone ("Site", the record's id) is about the mapping's id.
func fieldColumns(name string, fields map[string][]string, entityType string) []string {
	name = strings.TrimSpace(name)
	if parts := strings.Split(name, "->"); len(parts) > 1 {
		name = parts[1]
	} else if entityType != "" && strings.EqualFold(name, entityType) {
		return fields["id"]
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "$"), ".")
	want := fold(firstSegment(name))
	if want == "" {
		return nil
	}
	var out []string
	for f, cols := range fields {
		prop, ok := strings.CutPrefix(f, "properties.")
		if !ok || fold(firstSegment(prop)) != want {
			continue
		}
		for _, c := range cols {
			if !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 && (want == "id" || want == "code") {
		out = fields["id"]
	}
	return out
}

func firstSegment(s string) string {
	if i := strings.IndexAny(s, ".["); i >= 0 {
		return s[:i]
	}
	return s
}

// fold drops case and underscores: "SiteType_Id" and "siteTypeId" are the same property.
func fold(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readRows reads src again and keeps, in rows, each row whose origin is one of its keys.
func readRows(ctx context.Context, src *spec.Source, rows map[string]*readers.Row) error {
	in, err := readers.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	left := len(rows)
	for left > 0 {
		r, err := in.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		key := r.Origin.String()
		if got, want := rows[key]; want && got == nil {
			row := r
			rows[key] = &row
			left--
		}
	}
	return nil
}
