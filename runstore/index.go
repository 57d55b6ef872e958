package runstore

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// Item is what Add takes of one record: the fields of a record.Entry that the cross-row rules
// read, its distinct flag, and its body (read by Add, not kept).
type Item struct {
	UserObjectID string
	Entity       string // the spec's entity (mapping) name
	Kind         string // the target kind: onkey | onixwork
	EntityType   string
	GroupOrder   int
	Parent       string // the parent record's userObjectId
	Distinct     bool
	Status       record.Status
	Body         []byte // as the request carries it, encoded (what the run store stores)
	Source       string // the spec's source name
	Origin       string // where the row is: "sites.xlsx Sites!12"
	OriginLine   int
	OriginPath   string
}

// Options tunes an Index. The zero value is usable.
type Options struct {
	// FirstSeq is the seq Add gives the first record (default 1), as the run store numbers them.
	FirstSeq int64
	// Referable names the entities whose records other records may name as parent: their
	// userObjectIds are kept as text. Any other record's userObjectId is kept as a hash only,
	// and its text asked of the Lookup when a rule needs it (a rare case: a hash shared with
	// another record, or a parent of an entity not named here). Distinct records' are always kept.
	Referable map[string]bool
	// SendWithoutChildren names the Onix Work entities whose record is sent even when every
	// child record is invalid (the childless rule leaves them alone).
	SendWithoutChildren map[string]bool
	// KeepChildless turns the childless rule off for every entity: for a fragment of a file
	// (a mapping test's rows), whose lines say nothing of the lines of the same order elsewhere.
	KeepChildless bool
	// MemoryBound is how many bytes of per-record slots the index keeps in memory (default
	// 64 MiB, about 4 million records); beyond it slots spill to a temporary file in SpillDir.
	// The 8-byte hash of each record's userObjectId stays in memory, as does what Resolve
	// builds to find records by it (4 to 8 bytes a record while it runs).
	MemoryBound int
	// SpillDir is the directory of the spill file (the run directory); "" is os.TempDir.
	SpillDir string
	// Refs says which records of earlier groups an On Key record body's converters look up
	// (onkey.ConverterRefs); nil links none, so no record depends on another by a converter.
	Refs ConverterRefs
}

// OptionsFor returns the options a job's records need: the entities its entities name as
// parent (Referable) and those that send without children.
func OptionsFor(job *spec.Job) Options {
	o := Options{Referable: map[string]bool{}, SendWithoutChildren: map[string]bool{}}
	for _, e := range job.Entities {
		if e.Parent != nil {
			o.Referable[e.Parent.Entity] = true
		}
		if e.SendWithoutChildren {
			o.SendWithoutChildren[e.Name] = true
		}
	}
	return o
}

// defaultMemoryBound is Options.MemoryBound's default.
const defaultMemoryBound = 64 << 20

func (o Options) withDefaults() Options {
	if o.FirstSeq == 0 {
		o.FirstSeq = 1
	}
	if o.MemoryBound <= 0 {
		o.MemoryBound = defaultMemoryBound
	}
	return o
}

// Index holds what the cross-row rules need of each record of a run, compactly: 16 bytes of
// slot and an 8-byte hash of its userObjectId per record, plus the text of the userObjectIds
// that may be referred to and of each parent named, and of a distinct record the hash of its
// body and its further rows. No body is kept but the last valid one of each distinct entity
// (the row after it may join its record). Records are added in row order (Add); the rules
// (Resolve) then amend them.
//
// An Index is not safe for concurrent use. Close removes its spill file.
type Index struct {
	opts Options
	seed maphash.Seed
	// hashOf, if set, replaces the hash of userObjectIds (tests make every one collide).
	hashOf func(string) uint64
	slots  *slotStore
	// hashes[i] is the hash of record i's userObjectId, 0 when it has none.
	hashes  []uint64
	uoids   sparse[string] // the userObjectIds kept as text, by record
	bodies  sparse[uint64] // the hash of each distinct record's body
	classes interner[class]
	places  interner[place]
	parents interner[string]    // the parent userObjectIds named, by slot.parent-1
	rows    []furtherRow        // the further rows of distinct records, in the order they joined
	rowsOf  map[uint32][]int    // the further rows of each record, as indexes in rows: see owned
	heads   map[string]joinHead // per distinct entity, the last valid distinct record added
	// lastPlace and lastClass are the last ones interned: most rows share them with the row before.
	lastPlace struct {
		p  place
		id uint32
		ok bool
	}
	lastParent struct {
		p  string
		id uint32
		ok bool
	}
	lastClass struct {
		c  class
		id uint32
		ok bool
	}
	deps []dep // what Resolve linked, for ResolveParents
}

// class is what records of one entity share.
type class struct {
	entity, kind, entityType string
	group                    int
}

// joinHead is the last valid distinct record of an entity: a following row of the same key with
// the same body joins it.
type joinHead struct {
	idx  uint32
	uoid string
	body []byte
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	opts = opts.withDefaults()
	return &Index{opts: opts, seed: maphash.MakeSeed(), slots: newSlotStore(opts.MemoryBound, opts.SpillDir),
		heads: map[string]joinHead{}}
}

// Close releases the index and removes its spill file, if any.
func (ix *Index) Close() error { return ix.slots.close() }

// Add records one record, in row order, and returns its seq. A valid row of a distinct entity
// whose key and body are those of the last valid record the entity added joins that record as a
// further row (joined is true, seq is that record's) and makes no record of its own, as the run
// store does. An error is the spill file's.
func (ix *Index) Add(it Item) (seq int64, joined bool, err error) {
	byKey := it.Distinct && it.UserObjectID != ""
	if h, ok := ix.heads[it.Entity]; byKey && ok && h.uoid == it.UserObjectID && it.Status == record.Valid && bytes.Equal(h.body, it.Body) {
		ix.addRow(h.idx, ix.placeOf(it), uint32(it.OriginLine))
		return ix.seqOf(h.idx), true, nil
	}
	if len(ix.hashes) >= math.MaxUint32 {
		return 0, false, errors.New("run index: more than 4294967295 records")
	}
	idx := uint32(len(ix.hashes))
	cl, err := ix.classOf(class{it.Entity, it.Kind, it.EntityType, it.GroupOrder})
	if err != nil {
		return 0, false, err
	}
	s := slot{line: uint32(it.OriginLine), place: ix.placeOf(it), status: statusCode(it.Status), class: cl}
	var h uint64
	if it.UserObjectID != "" {
		s.flags |= flagUOID
		h = ix.hash(it.UserObjectID)
		if it.Distinct || ix.opts.Referable[it.Entity] {
			ix.uoids.add(idx, it.UserObjectID)
		}
	}
	if it.Parent != "" {
		if ix.lastParent.ok && ix.lastParent.p == it.Parent { // the lines of one order follow each other
			s.parent = ix.lastParent.id
		} else {
			s.parent = ix.parents.id(it.Parent) + 1
			ix.lastParent.p, ix.lastParent.id, ix.lastParent.ok = it.Parent, s.parent, true
		}
	}
	if it.Distinct {
		s.flags |= flagDistinct
		ix.bodies.add(idx, maphash.Bytes(ix.seed, it.Body))
	}
	if len(it.Body) == 0 {
		s.flags |= flagNoBody
	}
	if it.Kind == "onkey" && bytes.Contains(it.Body, []byte(referenceLookupName)) {
		s.flags |= flagLookup
	}
	if err := ix.slots.append(s); err != nil {
		return 0, false, err
	}
	ix.hashes = append(ix.hashes, h)
	if byKey && it.Status == record.Valid {
		ix.heads[it.Entity] = joinHead{idx: idx, uoid: it.UserObjectID, body: bytes.Clone(it.Body)}
	} else if it.Distinct {
		delete(ix.heads, it.Entity)
	}
	return ix.seqOf(idx), false, nil
}

// Len returns how many records were added (those merged into another by the rules included).
func (ix *Index) Len() int { return len(ix.hashes) }

// Status returns the status of record seq, as added or as the rules left it.
func (ix *Index) Status(seq int64) (record.Status, error) {
	s, err := ix.slot(seq)
	return statusOf(s.status), err
}

// SetStatus changes the status of record seq (a record sent since the rules ran), so that the
// parent rules (ResolveParents) see it.
func (ix *Index) SetStatus(seq int64, st record.Status) error {
	idx, err := ix.idxOf(seq)
	if err != nil {
		return err
	}
	return ix.slots.update(idx, func(s *slot) { s.status = statusCode(st) })
}

// classOf interns c.
func (ix *Index) classOf(c class) (uint16, error) {
	if ix.lastClass.ok && ix.lastClass.c == c {
		return uint16(ix.lastClass.id), nil
	}
	id := ix.classes.id(c)
	if id >= 1<<16 {
		return 0, errors.New("run index: more than 65536 kinds of record")
	}
	ix.lastClass.c, ix.lastClass.id, ix.lastClass.ok = c, id, true
	return uint16(id), nil
}

func (ix *Index) seqOf(idx uint32) int64 { return ix.opts.FirstSeq + int64(idx) }

func (ix *Index) idxOf(seq int64) (uint32, error) {
	i := seq - ix.opts.FirstSeq
	if i < 0 || i >= int64(len(ix.hashes)) {
		return 0, fmt.Errorf("run index: no record %d", seq)
	}
	return uint32(i), nil
}

func (ix *Index) slot(seq int64) (slot, error) {
	idx, err := ix.idxOf(seq)
	if err != nil {
		return slot{}, err
	}
	return ix.slots.get(idx)
}

// referenceLookupName is the converter name of On Key lookups (transforms/converters.go).
const referenceLookupName = "ReferenceLookup"

// interner numbers the distinct values it is given, from 0.
type interner[T comparable] struct {
	ids  map[T]uint32
	vals []T
}

func (in *interner[T]) id(v T) uint32 {
	if id, ok := in.ids[v]; ok {
		return id
	}
	if in.ids == nil {
		in.ids = map[T]uint32{}
	}
	id := uint32(len(in.vals))
	in.ids[v] = id
	in.vals = append(in.vals, v)
	return id
}

func (in *interner[T]) at(id uint32) T { return in.vals[id] }
func (in *interner[T]) len() int       { return len(in.vals) }

// hash is the hash the index keeps of userObjectId u; never 0, which stands for none.
func (ix *Index) hash(u string) uint64 {
	h := maphash.String(ix.seed, u)
	if ix.hashOf != nil {
		h = ix.hashOf(u)
	}
	return max(h, 1)
}
