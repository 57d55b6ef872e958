package runstore

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// family is who names whom as parent, among the records left after the key rules.
type family struct {
	children []uint32   // the records with a parent, in row order
	kids     [][]uint32 // by parent id: the records naming it
	recs     [][]uint32 // by parent id: the records whose userObjectId it is
}

func (r *resolution) family() (*family, error) {
	f := &family{kids: make([][]uint32, r.ix.parents.len()), recs: make([][]uint32, r.ix.parents.len())}
	for i := range uint32(r.ix.Len()) {
		s, err := r.ix.slots.get(i)
		if err != nil {
			return nil, err
		}
		if s.parent != 0 && !s.has(flagGone) {
			f.children = append(f.children, i)
			f.kids[s.parent-1] = append(f.kids[s.parent-1], i)
		}
	}
	for id, kids := range f.kids {
		if len(kids) > 0 {
			var err error
			if f.recs[id], err = r.records(r.ix.parents.at(uint32(id))); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// parents applies the parent rules: a record whose parent no row produced is invalid; then, until
// nothing changes, a record still to go (valid or pending) whose parent is invalid, failed or
// skipped is skipped (transitively), one with such a dependency (Resolve's Deps) too, and an Onix
// Work record whose child records are all invalid or skipped (skipChildless). Each step decides
// on the statuses the step before left, as the run store's statements do.
func (r *resolution) parents() error {
	f, err := r.family()
	if err != nil {
		return err
	}
	type mark struct {
		idx uint32
		msg record.Message
	}
	var marks []mark
	for _, c := range f.children {
		s, err := r.ix.slots.get(c)
		if err != nil {
			return err
		}
		if statusOf(s.status) == record.Valid && len(f.recs[s.parent-1]) == 0 {
			p := r.ix.parents.at(s.parent - 1)
			marks = append(marks, mark{c, parentMessage(p, fmt.Sprintf("parent %q is not produced by any row", p))})
		}
	}
	for _, m := range marks {
		if err := r.change(m.idx, record.Invalid, m.msg); err != nil {
			return err
		}
	}
	for {
		marks = marks[:0]
		for _, c := range f.children {
			s, err := r.ix.slots.get(c)
			if err != nil {
				return err
			}
			if !toGo(statusOf(s.status)) {
				continue
			}
			bad, first := false, record.Status("")
			for k, p := range f.recs[s.parent-1] {
				ps, err := r.ix.slots.get(p)
				if err != nil {
					return err
				}
				if k == 0 {
					first = statusOf(ps.status)
				}
				bad = bad || stopsOthers(statusOf(ps.status))
			}
			if bad {
				p := r.ix.parents.at(s.parent - 1)
				marks = append(marks, mark{c, parentMessage(p, fmt.Sprintf("parent %q is %s", p, first))})
			}
		}
		for _, m := range marks {
			if err := r.change(m.idx, record.Skipped, m.msg); err != nil {
				return err
			}
		}
		nd, err := r.skipDependents()
		if err != nil {
			return err
		}
		nc, err := r.skipChildless(f)
		if err != nil {
			return err
		}
		if len(marks)+nd+nc == 0 {
			return nil
		}
	}
}

func parentMessage(parent, text string) record.Message {
	return record.Message{Code: "parent", Property: "parent", Value: record.Shorten(parent), Text: text}
}

// toGo reports whether a record of status st is still to be sent.
func toGo(st record.Status) bool { return st == record.Valid || st == record.Pending }

// stopsOthers reports whether a parent or dependency of status st keeps its dependents from going.
func stopsOthers(st record.Status) bool {
	return st == record.Invalid || st == record.Failed || st == record.Skipped
}

// skipChildless skips the Onix Work records still to go that rows name as parent but none of
// whose child records can be sent (all invalid, or skipped in turn): an order whose lines are
// all invalid would be created empty. A record no row names as parent is not touched, nor one
// of an entity with send_without_children, nor any with Options.KeepChildless. It returns how
// many it changed.
func (r *resolution) skipChildless(f *family) (int, error) {
	if r.ix.opts.KeepChildless {
		return 0, nil
	}
	type mark struct {
		idx uint32
		why string
	}
	var marks []mark
	for id, kids := range f.kids {
		if len(kids) == 0 || len(f.recs[id]) == 0 {
			continue
		}
		counts := map[childCount]int{}
		sendable := false
		for _, c := range kids {
			s, err := r.ix.slots.get(c)
			if err != nil {
				return 0, err
			}
			st := statusOf(s.status)
			if st != record.Invalid && st != record.Skipped {
				sendable = true
				break
			}
			counts[childCount{r.ix.classes.at(uint32(s.class)).entity, st, 0}]++
		}
		if sendable {
			continue
		}
		var cs []childCount
		for c, n := range counts {
			c.n = n
			cs = append(cs, c)
		}
		slices.SortFunc(cs, func(a, b childCount) int {
			if a.entity != b.entity {
				return strings.Compare(a.entity, b.entity)
			}
			return strings.Compare(string(a.status), string(b.status))
		})
		for _, p := range f.recs[id] {
			s, err := r.ix.slots.get(p)
			if err != nil {
				return 0, err
			}
			cl := r.ix.classes.at(uint32(s.class))
			if cl.kind == "onixwork" && toGo(statusOf(s.status)) && !r.ix.opts.SendWithoutChildren[cl.entity] {
				marks = append(marks, mark{p, childlessWhy(cs)})
			}
		}
	}
	for _, m := range marks {
		if err := r.change(m.idx, record.Skipped, record.Message{Code: "children", Text: m.why}); err != nil {
			return 0, err
		}
	}
	return len(marks), nil
}
