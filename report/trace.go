package report

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// Tracer puts every message of the target that names a property on the cells that property is
// built from: the property is found in the record's mapping (transforms' FieldColumns), its
// columns in the record's first row, read again from the source. A message naming several
// columns becomes one message per column, each with the cell, the column and the value; one
// whose property is built from no column keeps the property and says so. The server's code and
// text are kept; Field keeps the server's name of the property. Messages already traced (with a
// Cell) are left as they are, so tracing again, as a resumed run does, changes nothing.
//
// Only failed, unknown and succeeded records are traced: the others were not answered by a
// server. A nil *Tracer traces nothing. A Tracer is read only once made: safe for concurrent use.
type Tracer struct {
	fields map[string]map[string][]string     // entity -> field -> columns
	rows   map[string]map[string]*readers.Row // source -> origin -> the row read again
	files  int                                // the source files of the job
}

// NewTracer makes the Tracer of job's entries: answered gives (at least) every entry whose
// messages may hold a server's answer, in any order; NewTracer reads again, from job's sources,
// the first rows of those whose messages name a property of the target, and compiles job's
// mappings for their fields. It returns nil when no entry has such a message (a dry run's never
// do). A source that cannot be read again (moved since the run) leaves the messages on their
// columns without cells; only a cancelled ctx or answered's error is returned.
func NewTracer(ctx context.Context, job *spec.Job, answered Each) (*Tracer, error) {
	wanted := map[string]map[string]*readers.Row{}
	err := answered(func(e *record.Entry) error {
		if !traceable(e.Status) {
			return nil
		}
		for _, m := range e.Messages {
			if len(serverProperties(m)) > 0 {
				if wanted[e.Source] == nil {
					wanted[e.Source] = map[string]*readers.Row{}
				}
				wanted[e.Source][e.Origin] = nil
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
	t := &Tracer{fields: map[string]map[string][]string{}, rows: wanted}
	files := map[string]bool{}
	for _, src := range job.Sources {
		files[src.File] = true
		for _, m := range mappings.ForSource(src.Name) {
			t.fields[m.Name()] = m.FieldColumns()
		}
	}
	t.files = len(files)
	for name, rows := range wanted {
		src, ok := job.Source(name)
		if !ok {
			continue
		}
		if err := readRows(ctx, src, rows); err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return t, nil
}

// traceable says whether a record of status s may hold a server's answer.
func traceable(s record.Status) bool {
	return s == record.Failed || s == record.Unknown || s == record.Succeeded
}

// Each is each with every entry's messages about the target's properties put on their cells:
// an entry whose messages change is given to fn as a copy, so each's own entries are never
// changed. A nil Tracer returns each.
func (t *Tracer) Each(each Each) Each {
	if t == nil {
		return each
	}
	return func(fn func(*record.Entry) error) error {
		return each(func(e *record.Entry) error {
			out := t.retraced(e)
			if out == nil {
				return fn(e)
			}
			c := *e
			c.Messages = out
			return fn(&c)
		})
	}
}

// retraced returns e's messages traced, in a new slice; nil when tracing changes none of them.
func (t *Tracer) retraced(e *record.Entry) []record.Message {
	if t == nil || !traceable(e.Status) {
		return nil
	}
	var out []record.Message
	for i, m := range e.Messages {
		names := serverProperties(m)
		if len(names) == 0 {
			if out != nil {
				out = append(out, m)
			}
			continue
		}
		if out == nil {
			out = append(make([]record.Message, 0, len(e.Messages)+1), e.Messages[:i]...)
		}
		out = append(out, traced(m, names, t.fields[e.Entity], e.EntityType, t.rows[e.Source][e.Origin], t.files > 1)...)
	}
	return out
}

// readRows reads src again and keeps, in rows, each row whose origin is one of its keys.
// Reading stops after the last of them.
func readRows(ctx context.Context, src *spec.Source, rows map[string]*readers.Row) error {
	in, err := readers.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	for left := len(rows); left > 0; {
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
