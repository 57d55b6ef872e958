package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
)

// Entry is a record on its way into the store: what a mapping made of one row, and its status
// (evaluate.Entry).
type Entry = evaluate.Entry

// StoredRecord is one row of the run store, as reports read it.
type StoredRecord = record.Entry

// head is the last valid distinct record of an entity that Add stored.
type head struct {
	seq  int64
	uoid string
	body string
}

// Add stores one record. The cross-row rules (a userObjectId produced twice; the rows of a
// distinct record) are applied by ResolveKeys once every record is added; Add only joins a
// valid row of a distinct key to the record its previous row made when the two agree, the common
// case of an order's lines that follow each other, so that such rows need no record of their
// own.
func (s *Store) Add(ctx context.Context, e Entry) error {
	if e.Body == nil {
		if err := e.Encode(); err != nil {
			return fmt.Errorf("run store: %w", err)
		}
	}
	body := e.Body
	r := e.Record
	keyed := r.Distinct && r.UserObjectID != ""
	if h, ok := s.heads[r.Entity]; keyed && ok && h.uoid == r.UserObjectID && e.Status == Valid && h.body == string(body) {
		return s.buffered(ctx, s.rows.add(h.seq, e.Source, e.Origin.String(), e.Origin.Line, e.Origin.Path))
	}
	seq := s.nextSeq
	s.nextSeq++
	var env any
	if e.Remap != nil {
		b, err := e.Remap.Encode()
		if err != nil {
			return fmt.Errorf("run store: record %q: %w", r.UserObjectID, err)
		}
		env = string(b)
	}
	full := s.records.add(seq, r.UserObjectID, r.Entity, r.Kind, r.EntityType, r.Action, r.Endpoint, r.GroupOrder,
		r.Parent, r.Distinct, e.Status, e.Source, e.Origin.String(), e.Origin.Line, e.Origin.Path,
		encodeMessages(e.Messages))
	full = s.bodies.add(seq, string(body), env) || full
	if keyed && e.Status == Valid {
		s.heads[r.Entity] = head{seq: seq, uoid: r.UserObjectID, body: string(body)}
	} else if r.Distinct {
		delete(s.heads, r.Entity)
	}
	return s.buffered(ctx, full)
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

// difference is one field on which two JSON documents disagree.
type difference struct{ path, a, b string }

// diffJSON lists the fields on which two JSON objects disagree, by dotted path, sorted.
func diffJSON(a, b string) []difference {
	var va, vb any
	_ = json.Unmarshal([]byte(a), &va)
	_ = json.Unmarshal([]byte(b), &vb)
	var out []difference
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
			out = append(out, difference{path, string(jx), string(jy)})
		}
	}
	walk("", va, vb)
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}
