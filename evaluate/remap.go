package evaluate

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// Row is the typed row a record was mapped from, kept for a record whose mapping reads its
// parent's result: Remapper.Remap maps it again once the parent has one. It is not modified
// after evaluation, so it may be shared between goroutines.
type Row struct {
	row   map[string]any // the typed cells
	outer map[string]any // the fields of the document an exploded row came from
}

// Encode is the row as JSON, for a run store that must remap the record in a later process
// (a resumed run); DecodeRow reads it back.
func (r *Row) Encode() ([]byte, error) {
	return transforms.EncodeJSON(map[string]any{"row": r.row, "outer": r.outer})
}

// DecodeRow reads a row that Encode wrote. Its numbers are int64 where integral and float64
// otherwise, as typing makes them.
func DecodeRow(b []byte) (*Row, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stored struct {
		Row   map[string]any `json:"row"`
		Outer map[string]any `json:"outer"`
	}
	if err := dec.Decode(&stored); err != nil {
		return nil, err
	}
	return &Row{row: plainMap(stored.Row), outer: plainMap(stored.Outer)}, nil
}

// plainMap converts the JSON numbers of a decoded row back to int64 or float64.
func plainMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := transforms.PlainJSON(m).(map[string]any)
	return out
}

// Parent is a parent record's result, as a child's mapping reads it (parent.userObjectId,
// parent.id, parent.version).
type Parent struct {
	UserObjectID string
	ServerID     string // a number's digits are read as a number
	Version      int64
}

// Remapper maps records again with their parent's result, with mappings compiled once. It is
// safe for concurrent use.
type Remapper struct {
	byName map[string]*transforms.Mapping
}

// Remapper returns a Remapper with the job's mappings, compiled by Prepare or Compile.
func (j *Job) Remapper() *Remapper { return newRemapper(j.mappings) }

// NewRemapper compiles the job's mappings, for a process that sends records it did not evaluate
// (a resumed run). A problem is a *SetupError.
func NewRemapper(job *spec.Job) (*Remapper, error) {
	ms, err := transforms.Compile(job)
	if err != nil {
		return nil, &SetupError{err}
	}
	return newRemapper(ms), nil
}

func newRemapper(ms *transforms.Mappings) *Remapper {
	r := &Remapper{byName: map[string]*transforms.Mapping{}}
	for _, m := range ms.All() {
		r.byName[m.Name()] = m
	}
	return r
}

// Remap maps the record of entity from row again with parent's result, and returns its new body
// encoded, or the messages ("mapping") saying why it could not be mapped: then the record must
// not be sent.
func (r *Remapper) Remap(entity string, row *Row, parent Parent) ([]byte, []record.Message) {
	fail := func(text string) []record.Message { return []record.Message{{Code: "mapping", Text: text}} }
	m := r.byName[entity]
	if m == nil {
		return nil, fail("no mapping for entity " + entity)
	}
	if row == nil {
		return nil, fail("its row was not kept, so it cannot be mapped again")
	}
	var id any = parent.ServerID
	if n, err := strconv.ParseInt(parent.ServerID, 10, 64); err == nil {
		id = n
	}
	env := transforms.Env{Row: row.row, Outer: row.outer,
		Parent: map[string]any{"userObjectId": parent.UserObjectID, "id": id, "version": parent.Version}}
	rec, ok, err := m.Map(env)
	switch {
	case err != nil:
		return nil, fail("mapped again with its parent's result: " + err.Error())
	case !ok:
		return nil, fail("mapped again with its parent's result, its when is false")
	}
	body, err := transforms.EncodeJSON(rec.Body)
	if err != nil {
		return nil, fail(err.Error())
	}
	return body, nil
}

// Child is the record e mapped again with its parent's result: with its new body, or with
// Status record.Failed and the mapping's messages when it cannot be mapped (then it must not be
// sent). row is the typed row the evaluation kept for e; nil reads the row e.Env holds, which
// the run store kept (a resumed run).
func (r *Remapper) Child(e record.Entry, row *Row, parent Parent) record.Entry {
	if row == nil {
		var err error
		if row, err = DecodeRow(e.Env); err != nil {
			e.Status, e.Messages = record.Failed, []record.Message{{Code: "mapping", Text: "the stored row cannot be read: " + err.Error()}}
			return e
		}
	}
	body, msgs := r.Remap(e.Entity, row, parent)
	if msgs != nil {
		e.Status, e.Messages = record.Failed, msgs
		return e
	}
	e.Body = body
	return e
}
