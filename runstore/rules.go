package runstore

import (
	"math/bits"
	"slices"

	"github.com/bulkload/bulkload/record"
)

// Detail is what the index does not keep of a record, given back by the caller's Lookup when a
// rule needs it: to confirm a userObjectId that only its hash stood for, to compare or show the
// bodies of a distinct key's rows, to read an On Key record's converters.
type Detail struct {
	UserObjectID string
	Body         []byte
	// Messages are the record's messages as added (before any amendment).
	Messages []record.Message
}

// Lookup returns the Detail of record seq. The rules call it for few records: those that share
// a userObjectId's hash, the distinct records whose rows did not follow each other, and, in a
// job of several On Key groups, the records with converters and those they may refer to.
type Lookup func(seq int64) (Detail, error)

// Amendments are what the cross-row rules change, to be applied to the records as added.
type Amendments struct {
	// Changes are the records whose status changed, or that have messages to add, by seq.
	Changes []Change
	// Merged lists the records merged into another: their rows are now the other's further
	// rows (Index.Rows) and they are no records of their own.
	Merged []Merge
	// Deps are the dependencies of On Key records on records of earlier groups, by their
	// ReferenceLookup converters.
	Deps []Dep
	// Notes say which converters made no dependency, and why: the summary's notes, sorted.
	Notes []string
}

// Change is one record's amendment: its new status, and messages to append to its own.
type Change struct {
	Seq    int64
	Status record.Status
	Add    []record.Message
}

// Merge is a distinct record merged into the first record of its key.
type Merge struct{ Seq, Into int64 }

// Dep is a dependency: record Seq's converter at Property looks up Ref, which record On produces.
type Dep struct {
	Seq, On  int64
	Property string
	Ref      string // as a message shows it: SiteType "FAC"
}

// Resolve applies the cross-row rules of a dry run to every record added, in the run store's
// order: the key rules, the converters' dependencies, the parent rules; and returns the
// amendments.
func Resolve(ix *Index, look Lookup) (*Amendments, error) {
	r := newResolution(ix, look)
	if err := r.keys(); err != nil {
		return nil, err
	}
	if err := r.link(); err != nil {
		return nil, err
	}
	if err := r.parents(); err != nil {
		return nil, err
	}
	r.ix.deps = r.deps
	return r.amendments(), nil
}

// ResolveParents applies the parent rules again (ResolveParents of the run store) to an index
// that Resolve amended and whose statuses changed since (SetStatus): a record whose parent or
// dependency failed is skipped, and so on. It returns the amendments of this pass only.
func ResolveParents(ix *Index, look Lookup) (*Amendments, error) {
	r := newResolution(ix, look)
	r.deps = ix.deps
	if err := r.parents(); err != nil {
		return nil, err
	}
	a := r.amendments()
	a.Deps = nil
	return a, nil
}

// resolution is the rules' working state over one index.
type resolution struct {
	ix      *Index
	look    Lookup
	changes map[uint32]*Change
	merged  []Merge
	deps    []dep
	notes   []string
	details map[uint32]Detail // what Lookup gave, by record
	// table finds a record by the hash of its userObjectId: open addressing, 1 + the record;
	// shared lists, in row order, the records of each hash that more than one record has.
	table  []uint32
	shared map[uint64][]uint32
}

type dep struct {
	seq, on  uint32
	property string
	ref      string
}

func newResolution(ix *Index, look Lookup) *resolution {
	r := &resolution{ix: ix, look: look, changes: map[uint32]*Change{}, details: map[uint32]Detail{}}
	r.table = make([]uint32, max(16, 1<<bits.Len(uint(2*len(ix.hashes)))))
	mask := uint64(len(r.table) - 1)
	for i, h := range ix.hashes {
		if h == 0 {
			continue
		}
		k := h & mask
		for ; r.table[k] != 0; k = (k + 1) & mask {
			if j := r.table[k] - 1; ix.hashes[j] == h && len(r.shared[h]) == 0 {
				if r.shared == nil {
					r.shared = map[uint64][]uint32{}
				}
				r.shared[h] = append(r.shared[h], j)
			}
		}
		r.table[k] = uint32(i) + 1
		if len(r.shared[h]) > 0 {
			r.shared[h] = append(r.shared[h], uint32(i))
		}
	}
	return r
}

// detail returns (and keeps) the Lookup's Detail of record i.
func (r *resolution) detail(i uint32) (Detail, error) {
	if d, ok := r.details[i]; ok {
		return d, nil
	}
	d, err := r.look(r.ix.seqOf(i))
	if err != nil {
		return Detail{}, err
	}
	r.details[i] = d
	return d, nil
}

// uoid returns the userObjectId of record i: kept, or from the Lookup.
func (r *resolution) uoid(i uint32) (string, error) {
	if u, ok := r.ix.uoids.get(i); ok {
		return u, nil
	}
	d, err := r.detail(i)
	return d.UserObjectID, err
}

// withHash returns the records whose userObjectId has hash h, in row order.
func (r *resolution) withHash(h uint64) []uint32 {
	if recs, ok := r.shared[h]; ok {
		return recs
	}
	mask := uint64(len(r.table) - 1)
	for k := h & mask; r.table[k] != 0; k = (k + 1) & mask {
		if i := r.table[k] - 1; r.ix.hashes[i] == h {
			return []uint32{i}
		}
	}
	return nil
}

// records returns the records (not merged away) whose userObjectId is u, in row order.
func (r *resolution) records(u string) ([]uint32, error) {
	var out []uint32
	for _, i := range r.withHash(r.ix.hash(u)) {
		s, err := r.ix.slots.get(i)
		if err != nil {
			return nil, err
		}
		if s.has(flagGone) {
			continue
		}
		if text, err := r.uoid(i); err != nil {
			return nil, err
		} else if text == u {
			out = append(out, i)
		}
	}
	return out, nil
}

// change records a new status and messages to add for record i.
func (r *resolution) change(i uint32, st record.Status, add ...record.Message) error {
	c := r.changes[i]
	if c == nil {
		c = &Change{Seq: r.ix.seqOf(i)}
		r.changes[i] = c
	}
	c.Status = st
	c.Add = append(c.Add, add...)
	return r.ix.slots.update(i, func(s *slot) { s.status = statusCode(st) })
}

func (r *resolution) amendments() *Amendments {
	a := &Amendments{Merged: r.merged, Notes: r.notes}
	for _, c := range r.changes {
		a.Changes = append(a.Changes, *c)
	}
	slices.SortFunc(a.Changes, func(x, y Change) int { return int(x.Seq - y.Seq) })
	for _, d := range r.deps {
		a.Deps = append(a.Deps, Dep{Seq: r.ix.seqOf(d.seq), On: r.ix.seqOf(d.on), Property: d.property, Ref: d.ref})
	}
	return a
}
