package runstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// keyed is a record of a userObjectId that several records have, as the key rules see it.
type keyed struct {
	idx      uint32
	slot     slot
	entity   string
	distinct bool
	origin   string
}

// ResolveKeys applies the key rules to each userObjectId that more than one record has, taking
// its records in row order:
//   - a distinct record (one per key, built from many rows) that the same entity produced again
//     is merged into the first: its rows become rows of the first, whose record is made invalid
//     by the later row's own problems, or, naming the rows and the fields, when their bodies
//     disagree;
//   - any other record with a userObjectId already taken is a duplicate: it and every record kept
//     before it under that userObjectId are invalid, each naming the others' rows.
func (r *resolution) keys() error {
	shared := map[string][]uint32{}
	for lo := 0; lo < len(r.byHash); {
		hi := lo + 1
		for hi < len(r.byHash) && r.ix.hashes[r.byHash[hi]] == r.ix.hashes[r.byHash[lo]] {
			hi++
		}
		if hi-lo > 1 { // a hash shared: group by the text, which a collision does not share
			by := map[string][]uint32{}
			for _, i := range r.byHash[lo:hi] {
				u, err := r.uoid(i)
				if err != nil {
					return err
				}
				by[u] = append(by[u], i)
			}
			for u, recs := range by {
				if len(recs) > 1 {
					shared[u] = recs
				}
			}
		}
		lo = hi
	}
	// In the order of the text, as the run store takes them: the order further rows join in.
	for _, u := range slices.Sorted(maps.Keys(shared)) {
		recs := make([]keyed, 0, len(shared[u]))
		for _, i := range shared[u] { // in row order: byHash is
			s, err := r.ix.slots.get(i)
			if err != nil {
				return err
			}
			recs = append(recs, keyed{idx: i, slot: s, entity: r.ix.classes.at(uint32(s.class)).entity,
				distinct: s.has(flagDistinct), origin: r.ix.row(s.place, s.line).Origin})
		}
		if err := r.keyRules(u, recs); err != nil {
			return err
		}
	}
	return nil
}

// keyRules decides, for the records of one userObjectId in row order, which are merged into
// which and which are invalid.
func (r *resolution) keyRules(uoid string, recs []keyed) error {
	var kept []keyed
	for _, x := range recs {
		if len(kept) == 0 {
			kept = append(kept, x)
			continue
		}
		first := kept[0]
		if x.distinct && first.distinct && first.entity == x.entity {
			add, err := r.mergeMessages(first, x)
			if err != nil {
				return err
			}
			r.ix.moveRows(x.idx, first.idx, x.slot)
			r.ix.gone++
			r.merged = append(r.merged, Merge{Seq: r.ix.seqOf(x.idx), Into: r.ix.seqOf(first.idx)})
			if err := r.ix.slots.update(x.idx, func(s *slot) { s.flags |= flagGone }); err != nil {
				return err
			}
			if len(add) > 0 {
				if err := r.change(first.idx, record.Invalid, add...); err != nil {
					return err
				}
			}
			continue
		}
		var others []string
		for _, k := range kept {
			if err := r.change(k.idx, record.Invalid, duplicate(uoid, x.origin)); err != nil {
				return err
			}
			others = append(others, k.origin)
		}
		if err := r.change(x.idx, record.Invalid, duplicate(uoid, strings.Join(others, ", "))); err != nil {
			return err
		}
		kept = append(kept, x)
	}
	return nil
}

func duplicate(uoid, others string) record.Message {
	return record.Message{Code: "duplicate", Property: "userObjectId", Value: record.Shorten(uoid),
		Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, others)}
}

// mergeMessages returns what merging distinct record x into first adds to first: x's own
// messages when x is invalid, else one conflict per row of x and field their bodies disagree on.
// Bodies whose hashes are equal are compared too: a collision never hides a conflict.
func (r *resolution) mergeMessages(first, x keyed) ([]record.Message, error) {
	if statusOf(x.slot.status) == record.Invalid {
		d, err := r.detail(x.idx)
		return d.Messages, err
	}
	if first.slot.has(flagNoBody) {
		return nil, nil
	}
	fd, err := r.detail(first.idx)
	if err != nil {
		return nil, err
	}
	xd, err := r.detail(x.idx)
	if err != nil || bytes.Equal(fd.Body, xd.Body) {
		return nil, err
	}
	rows := []string{x.origin}
	for _, k := range r.ix.rowsOf[x.idx] {
		rows = append(rows, r.ix.row(r.ix.rows[k].place, r.ix.rows[k].line).Origin)
	}
	var add []record.Message
	diffs := diffJSON(fd.Body, xd.Body)
	for _, row := range rows {
		for _, d := range diffs {
			add = append(add, record.Message{Code: "conflict", Property: d.path, Value: record.Shorten(d.b),
				Text: fmt.Sprintf("rows disagree on %s: %s has %s, %s has %s", d.path, first.origin, d.a, row, d.b)})
		}
	}
	return add, nil
}

// difference is one field on which two JSON documents disagree.
type difference struct{ path, a, b string }

// diffJSON lists the fields on which two JSON objects disagree, by dotted path, sorted.
func diffJSON(a, b []byte) []difference {
	var va, vb any
	_ = json.Unmarshal(a, &va)
	_ = json.Unmarshal(b, &vb)
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
