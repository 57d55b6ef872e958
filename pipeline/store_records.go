package pipeline

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/transforms"
)

// Entry is a record on its way into the store: what a mapping made of one row, and its status.
type Entry struct {
	Record   transforms.Record
	Status   string
	Source   string
	Origin   readers.Origin
	Messages []Message
}

// StoredRecord is one row of the run store, as reports read it.
type StoredRecord struct {
	Seq        int64
	UOID       string
	Entity     string
	Kind       string
	EntityType string
	Action     string
	Endpoint   string
	GroupOrder int
	Parent     string
	Status     string
	Body       json.RawMessage
	Source     string
	Origin     string
	OriginLine int
	OriginPath string
	Messages   []Message
	// Rows lists every row that built the record, the first one included.
	Rows       []string
	ServerID   string
	Version    int64
	HTTPStatus int
	Attempts   int
	DurationMS int64
}

// Add stores one record and applies the cross-row rules at once:
//   - a record whose userObjectId another record of the run already has makes both invalid;
//   - a distinct record (one per key, built from many rows) that another row of the same entity
//     produced again is merged into the first when their bodies agree, and makes it invalid,
//     naming the rows and the fields, when they disagree.
func (s *Store) Add(ctx context.Context, e Entry) error {
	body, err := transforms.EncodeJSON(e.Record.Body)
	if err != nil {
		return fmt.Errorf("run store: record %q: %w", e.Record.UserObjectID, err)
	}
	if e.Record.UserObjectID != "" {
		merged, err := s.applySameKey(ctx, &e, string(body))
		if err != nil || merged {
			return err
		}
	}
	r := e.Record
	_, err = s.exec(ctx, `INSERT INTO records(uoid, entity, kind, entity_type, action, endpoint, group_order, parent,
		is_distinct, status, body, source, origin, origin_line, origin_path, messages)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.UserObjectID, r.Entity, r.Kind, r.EntityType, r.Action, r.Endpoint, r.GroupOrder, r.Parent,
		r.Distinct, e.Status, string(body), e.Source, e.Origin.String(), e.Origin.Line, e.Origin.Path,
		encodeMessages(e.Messages))
	return err
}

// sameKey is a stored record that shares the incoming record's userObjectId.
type sameKey struct {
	seq      int64
	entity   string
	distinct bool
	status   string
	body     string
	origin   string
	messages string
}

// applySameKey applies the cross-row rules against the records already stored under the same
// userObjectId. It reports whether the incoming record was merged into an existing one (and so
// must not be inserted); a duplicate is marked invalid in e.
func (s *Store) applySameKey(ctx context.Context, e *Entry, body string) (bool, error) {
	rows, err := s.query(ctx, `SELECT seq, entity, is_distinct, status, body, origin, messages FROM records WHERE uoid = ? ORDER BY seq`, e.Record.UserObjectID)
	if err != nil {
		return false, fmt.Errorf("run store: %w", err)
	}
	var same []sameKey
	for rows.Next() {
		var k sameKey
		var b sql.NullString
		if err := rows.Scan(&k.seq, &k.entity, &k.distinct, &k.status, &b, &k.origin, &k.messages); err != nil {
			rows.Close()
			return false, fmt.Errorf("run store: %w", err)
		}
		k.body = b.String
		same = append(same, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("run store: %w", err)
	}
	if len(same) == 0 {
		return false, nil
	}
	first := same[0]
	if e.Record.Distinct && first.distinct && first.entity == e.Record.Entity {
		return true, s.mergeDistinct(ctx, first, *e, body)
	}
	// A duplicate: every record with this userObjectId becomes invalid.
	uoid := e.Record.UserObjectID
	for _, k := range same {
		m := Message{Code: "duplicate", Property: "userObjectId", Value: shorten(uoid),
			Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, e.Origin)}
		if err := s.invalidate(ctx, k.seq, k.messages, m); err != nil {
			return false, err
		}
	}
	e.Status = Invalid
	var others []string
	for _, k := range same {
		others = append(others, k.origin)
	}
	e.Messages = append(e.Messages, Message{Code: "duplicate", Property: "userObjectId", Value: shorten(uoid),
		Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, strings.Join(others, ", "))})
	return false, nil
}

// mergeDistinct adds the incoming row to the first record of a distinct key.
func (s *Store) mergeDistinct(ctx context.Context, first sameKey, e Entry, body string) error {
	if _, err := s.exec(ctx, `INSERT INTO record_rows(seq, source, origin, origin_line, origin_path) VALUES(?,?,?,?,?)`,
		first.seq, e.Source, e.Origin.String(), e.Origin.Line, e.Origin.Path); err != nil {
		return err
	}
	var add []Message
	if e.Status == Invalid {
		add = append(add, e.Messages...)
	} else if body != first.body && first.body != "" {
		for _, d := range diffJSON(first.body, body) {
			add = append(add, Message{Code: "conflict", Property: d.path, Value: shorten(d.b),
				Text: fmt.Sprintf("rows disagree on %s: %s has %s, %s has %s", d.path, first.origin, d.a, e.Origin, d.b)})
		}
	}
	if len(add) == 0 {
		return nil
	}
	return s.invalidate(ctx, first.seq, first.messages, add...)
}

// invalidate marks a stored record invalid and appends messages to it.
func (s *Store) invalidate(ctx context.Context, seq int64, stored string, add ...Message) error {
	ms := append(decodeMessages(stored), add...)
	_, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, Invalid, encodeMessages(ms), seq)
	return err
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
