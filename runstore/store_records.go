package runstore

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/bulkload/bulkload/record"
)

// addRecord buffers the rows of record e as seq: its record, its body and its further rows. It
// reports whether a full batch is waiting.
func (s *Store) addRecord(seq int64, e *record.Entry) bool {
	var env any
	if e.Env != nil {
		env = string(e.Env)
	}
	full := s.records.add(seq, e.UserObjectID, e.Entity, e.Kind, e.EntityType, e.Action, e.Endpoint, e.GroupOrder,
		e.Parent, e.Distinct, e.Status, e.Source, e.Origin, e.OriginLine, e.OriginPath,
		encodeMessages(e.Messages))
	full = s.bodies.add(seq, string(e.Body), env) || full
	for _, r := range e.Further {
		full = s.rows.add(seq, r.Source, r.Origin, r.Line, r.Path) || full
	}
	return full
}

// buffered counts a buffered row, writing the buffers when one is full.
func (s *Store) buffered(ctx context.Context, full bool) error {
	if full {
		if err := s.begin(ctx); err != nil {
			return err
		}
	}
	return s.wrote(1)
}

// Difference is one field on which two JSON documents disagree: its dotted path, and its value
// in each as JSON ("nothing" where a document lacks it).
type Difference struct{ Path, A, B string }

// DiffJSON lists the fields on which two JSON objects disagree, by dotted path, sorted.
func DiffJSON(a, b string) []Difference {
	var va, vb any
	_ = json.Unmarshal([]byte(a), &va)
	_ = json.Unmarshal([]byte(b), &vb)
	var out []Difference
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		mx, okx := x.(map[string]any)
		my, oky := y.(map[string]any)
		if okx && oky {
			keys := map[string]bool{}
			for k := range mx {
				keys[k] = true
			}
			for k := range my {
				keys[k] = true
			}
			for k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, mx[k], my[k])
			}
			return
		}
		jx, _ := json.Marshal(x)
		jy, _ := json.Marshal(y)
		if string(jx) != string(jy) {
			if x == nil {
				jx = []byte("nothing")
			}
			if y == nil {
				jy = []byte("nothing")
			}
			out = append(out, Difference{path, string(jx), string(jy)})
		}
	}
	walk("", va, vb)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
