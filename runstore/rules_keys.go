package runstore

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// keyRecord is a record of a userObjectId that several records have, as the key rules see it.
type keyRecord struct {
	idx      uint32
	slot     slot
	entity   string
	distinct bool
	origin   string
}

// keys applies the key rules to each userObjectId that more than one record has, taking
// its records in row order:
//   - a distinct record (one per key, built from many rows) that the same entity produced again
//     is merged into the first: its rows become rows of the first, whose record is made invalid
//     by the later row's own problems, or, naming the rows and the fields, when their bodies
//     disagree;
//   - any other record with a userObjectId already taken is a duplicate: it and every record kept
//     before it under that userObjectId are invalid, each naming the others' rows.
func (r *resolution) keys() error {
	shared := map[string][]uint32{}
	for _, recs := range r.shared { // a hash shared: group by the text, which a collision does not share
		by := map[string][]uint32{}
		for _, i := range recs {
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
	// In the order of the text, as the run store takes them: the order further rows join in.
	for _, u := range slices.Sorted(maps.Keys(shared)) {
		recs := make([]keyRecord, 0, len(shared[u]))
		for _, i := range shared[u] { // in row order, as r.shared is
			s, err := r.ix.slots.get(i)
			if err != nil {
				return err
			}
			recs = append(recs, keyRecord{idx: i, slot: s, entity: r.ix.classes.at(uint32(s.class)).entity,
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
func (r *resolution) keyRules(uoid string, recs []keyRecord) error {
	var kept []keyRecord
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
// Bodies agree when their 64-bit hashes do (two that differ hash alike once in 2^64 pairs); only
// those that disagree are asked of the Lookup, for the fields the messages name.
func (r *resolution) mergeMessages(first, x keyRecord) ([]record.Message, error) {
	if statusOf(x.slot.status) == record.Invalid {
		d, err := r.detail(x.idx)
		return d.Messages, err
	}
	if first.slot.has(flagNoBody) || r.ix.bodyHash(first.idx) == r.ix.bodyHash(x.idx) {
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
	for _, k := range r.ix.owned()[x.idx] {
		rows = append(rows, r.ix.row(r.ix.rows[k].place, r.ix.rows[k].line).Origin)
	}
	var add []record.Message
	diffs := DiffJSON(string(fd.Body), string(xd.Body))
	for _, row := range rows {
		for _, d := range diffs {
			add = append(add, record.Message{Code: "conflict", Property: d.Path, Value: record.Shorten(d.B),
				Text: fmt.Sprintf("rows disagree on %s: %s has %s, %s has %s", d.Path, first.origin, d.A, row, d.B)})
		}
	}
	return add, nil
}
