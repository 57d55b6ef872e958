package runstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// groupTypes lists the On Key entity types of the records by the groups that have them.
type groupTypes map[int][]string

// before returns the entity types that records of groups before g have.
func (tg groupTypes) before(g int) []string {
	var out []string
	for og, types := range tg {
		if og < g {
			for _, t := range types {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// link makes the dependencies of On Key records on the records of earlier groups that their
// ReferenceLookup converters refer to (Options.Refs says how a converter names its entity): a
// Site whose siteTypeId is code("FAC") depends on the SiteType record of an earlier group whose
// code is "FAC". The parent rules then treat a dependency as they treat a parent. A converter
// that several records of earlier groups match, or whose entity cannot be told, makes no
// dependency; the notes say so, once per entity and property. Bodies come from the Lookup, for
// the records with converters and those of the entity types they look up only.
func (r *resolution) link() error {
	tg := groupTypes{}
	for _, c := range r.ix.classes.vals {
		if c.kind == "onkey" && c.entityType != "" && !slices.Contains(tg[c.group], c.entityType) {
			tg[c.group] = append(tg[c.group], c.entityType)
		}
	}
	if len(tg) < 2 || r.ix.opts.Refs == nil {
		return nil
	}
	type consumer struct {
		idx    uint32
		entity string
		group  int
		ref    ConverterRef
	}
	var consumers []consumer
	wanted := map[string]map[string]bool{} // entity type -> properties looked up
	notes := map[string]int{}
	err := r.scan(func(i uint32, s slot, c class) bool { return s.has(flagLookup) }, func(i uint32, c class, body []byte) {
		for _, ref := range r.ix.opts.Refs(body, tg.before(c.group)) {
			if ref.Unlinkable != "" {
				notes[fmt.Sprintf("%s.%s: no dependency made: %s", c.entity, ref.Property, ref.Unlinkable)]++
				continue
			}
			consumers = append(consumers, consumer{i, c.entity, c.group, ref})
			if wanted[ref.EntityType] == nil {
				wanted[ref.EntityType] = map[string]bool{}
			}
			for _, p := range ref.Props {
				wanted[ref.EntityType][p] = true
			}
		}
	})
	if err != nil {
		return err
	}
	// The records of the types looked up, indexed by the value of each property looked up.
	type producer struct {
		idx    uint32
		group  int
		values map[string]string
	}
	index := map[string]map[string]map[string][]int{} // type -> property -> value -> producers
	var prods []producer
	err = r.scan(func(i uint32, s slot, c class) bool { return c.kind == "onkey" && wanted[c.entityType] != nil },
		func(i uint32, c class, body []byte) {
			var rec struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if json.Unmarshal(body, &rec) != nil {
				return
			}
			t := c.entityType
			if index[t] == nil {
				index[t] = map[string]map[string][]int{}
			}
			p := producer{idx: i, group: c.group, values: map[string]string{}}
			for name := range wanted[t] {
				if v, ok := record.ScalarText(rec.Properties[name]); ok {
					p.values[name] = v
					if index[t][name] == nil {
						index[t][name] = map[string][]int{}
					}
					index[t][name][v] = append(index[t][name][v], len(prods))
				}
			}
			prods = append(prods, p)
		})
	if err != nil {
		return err
	}
	for _, c := range consumers {
		var match []int
		for _, k := range index[c.ref.EntityType][c.ref.Props[0]][c.ref.Values[0]] {
			p := prods[k]
			if p.group >= c.group || p.idx == c.idx {
				continue
			}
			all := true
			for j, name := range c.ref.Props {
				all = all && p.values[name] == c.ref.Values[j]
			}
			if all {
				match = append(match, k)
			}
		}
		switch len(match) {
		case 0:
			continue // the target holds it already, or nothing does: the server says which
		case 1:
			r.deps = append(r.deps, dep{seq: c.idx, on: prods[match[0]].idx, property: c.ref.Property, ref: c.ref.Shown})
		default:
			notes[fmt.Sprintf("%s.%s: no dependency made: more than one record of %s in earlier groups has what it looks up",
				c.entity, c.ref.Property, c.ref.EntityType)]++
		}
	}
	for text, n := range notes {
		r.notes = append(r.notes, fmt.Sprintf("%s (%d %s)", text, n, plural(n, "record", "records")))
	}
	sort.Strings(r.notes)
	// skipDependents reads them by record, then property.
	slices.SortStableFunc(r.deps, func(a, b dep) int {
		if a.seq != b.seq {
			return int(a.seq) - int(b.seq)
		}
		return strings.Compare(a.property, b.property)
	})
	return nil
}

// scan calls fn, in row order, with the body of each record left by the key rules that want
// accepts; the bodies come from the Lookup and are not kept.
func (r *resolution) scan(want func(i uint32, s slot, c class) bool, fn func(i uint32, c class, body []byte)) error {
	for i := range uint32(r.ix.Len()) {
		s, err := r.ix.slots.get(i)
		if err != nil {
			return err
		}
		c := r.ix.classes.at(uint32(s.class))
		if s.has(flagGone) || !want(i, s, c) {
			continue
		}
		d, err := r.look(r.ix.seqOf(i))
		if err != nil {
			return err
		}
		if d.Body != nil {
			fn(i, c, d.Body)
		}
	}
	return nil
}

// skipDependents skips the records still to go (valid or pending) with a dependency that is
// invalid, failed or skipped, each naming the dependency: which property refers to it, and its
// userObjectId, row and status. It returns how many it changed.
func (r *resolution) skipDependents() (int, error) {
	type mark struct {
		idx  uint32
		msgs []dep
	}
	var marks []mark
	for k := 0; k < len(r.deps); {
		c := r.deps[k].seq
		end := k
		for end < len(r.deps) && r.deps[end].seq == c {
			end++
		}
		s, err := r.ix.slots.get(c)
		if err != nil {
			return 0, err
		}
		var bad []dep
		if toGo(statusOf(s.status)) {
			for _, d := range r.deps[k:end] {
				ps, err := r.ix.slots.get(d.on)
				if err != nil {
					return 0, err
				}
				if stopsOthers(statusOf(ps.status)) {
					bad = append(bad, d)
				}
			}
		}
		if len(bad) > 0 {
			marks = append(marks, mark{c, bad})
		}
		k = end
	}
	for _, m := range marks {
		var add []record.Message
		for _, d := range m.msgs {
			ps, err := r.ix.slots.get(d.on)
			if err != nil {
				return 0, err
			}
			u, err := r.uoid(d.on)
			if err != nil {
				return 0, err
			}
			add = append(add, record.Message{Code: "dependency", Property: d.property, Value: record.Shorten(d.ref),
				Text: depWhy(d.ref, u, r.ix.row(ps.place, ps.line).Origin, statusOf(ps.status))})
		}
		if err := r.change(m.idx, record.Skipped, add...); err != nil {
			return 0, err
		}
	}
	return len(marks), nil
}
