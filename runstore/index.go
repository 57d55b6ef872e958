package runstore

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/record"
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
	Body         []byte
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
	// MemoryBound is how many bytes of per-record slots the index keeps in memory (default
	// 64 MiB, about 4 million records); beyond it slots spill to a temporary file in SpillDir.
	MemoryBound int
	// SpillDir is the directory of the spill file (the run directory); "" is os.TempDir.
	SpillDir string
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
// that may be referred to, of each parent named, and the further rows of distinct records.
// Records are added in row order (Add); the rules (Resolve) then amend them.
//
// An Index is not safe for concurrent use. Close removes its spill file.
type Index struct {
	opts  Options
	seed  maphash.Seed
	slots *slotStore
	// hashes[i] is the hash of record i's userObjectId (0 and no flagUOID: it has none).
	hashes  []uint64
	uoids   map[uint32]string // the userObjectIds kept as text, by record
	classes interner[class]
	places  interner[place]
	parents interner[string] // the parent userObjectIds named, by slot.parent-1
	rows    []furtherRow     // the further rows of distinct records, in the order they joined
	rowsOf  map[uint32][]int // the further rows of each record, as indexes in rows
	heads   map[string]head  // per distinct entity, the last valid distinct record added
	gone    int              // records merged into another
	deps    []dep            // what Resolve linked, for ResolveParents
}

// class is what records of one entity share.
type class struct {
	entity, kind, entityType string
	group                    int
}

// place is an origin without its line: the origin is prefix + line + suffix.
type place struct {
	source, prefix, suffix, path string
	noLine                       bool // the origin does not show its line: it is prefix
}

// furtherRow is a row joined to a distinct record besides its first.
type furtherRow struct {
	owner, place, line uint32
}

// head is the last valid distinct record of an entity: a following row of the same key with
// the same body joins it.
type head struct {
	idx  uint32
	uoid string
	body []byte
}

// NewIndex returns an empty index.
func NewIndex(opts Options) *Index {
	opts = opts.withDefaults()
	return &Index{opts: opts, seed: maphash.MakeSeed(), slots: newSlotStore(opts.MemoryBound, opts.SpillDir),
		uoids: map[uint32]string{}, rowsOf: map[uint32][]int{}, heads: map[string]head{}}
}

// Close releases the index and removes its spill file, if any.
func (ix *Index) Close() error { return ix.slots.close() }

// Add records one record, in row order, and returns its seq. A valid row of a distinct entity
// whose key and body are those of the last valid record the entity added joins that record as a
// further row (joined is true, seq is that record's) and makes no record of its own, as the run
// store does. An error is the spill file's.
func (ix *Index) Add(it Item) (seq int64, joined bool, err error) {
	keyed := it.Distinct && it.UserObjectID != ""
	if h, ok := ix.heads[it.Entity]; keyed && ok && h.uoid == it.UserObjectID && it.Status == record.Valid && bytes.Equal(h.body, it.Body) {
		ix.addRow(h.idx, ix.placeOf(it), uint32(it.OriginLine))
		return ix.seqOf(h.idx), true, nil
	}
	idx := uint32(len(ix.hashes))
	s := slot{line: uint32(it.OriginLine), place: ix.placeOf(it), status: statusCode(it.Status),
		class: uint16(ix.classes.id(class{it.Entity, it.Kind, it.EntityType, it.GroupOrder}))}
	if ix.classes.len() > 1<<16 {
		return 0, false, errors.New("run index: more than 65536 kinds of record")
	}
	var h uint64
	if it.UserObjectID != "" {
		s.flags |= flagUOID
		h = maphash.String(ix.seed, it.UserObjectID)
		if it.Distinct || ix.opts.Referable[it.Entity] {
			ix.uoids[idx] = it.UserObjectID
		}
	}
	if it.Parent != "" {
		s.parent = ix.parents.id(it.Parent) + 1
	}
	if it.Distinct {
		s.flags |= flagDistinct
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
	if keyed && it.Status == record.Valid {
		ix.heads[it.Entity] = head{idx: idx, uoid: it.UserObjectID, body: bytes.Clone(it.Body)}
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

// Rows returns the rows of record seq besides its first (a distinct record's further rows, with
// those of the records merged into it), in the order the run store reports them: by line, then
// in the order they joined.
func (ix *Index) Rows(seq int64) []Row {
	idx, err := ix.idxOf(seq)
	if err != nil {
		return nil
	}
	rows := slices.Clone(ix.rowsOf[idx])
	slices.SortFunc(rows, func(a, b int) int { return cmp.Or(cmp.Compare(ix.rows[a].line, ix.rows[b].line), a-b) })
	out := make([]Row, 0, len(rows))
	for _, k := range rows {
		out = append(out, ix.row(ix.rows[k].place, ix.rows[k].line))
	}
	return out
}

// addRow joins a further row to record owner.
func (ix *Index) addRow(owner, place, line uint32) {
	ix.rowsOf[owner] = append(ix.rowsOf[owner], len(ix.rows))
	ix.rows = append(ix.rows, furtherRow{owner: owner, place: place, line: line})
}

// moveRows makes record from's further rows, and from's own row, further rows of record to.
func (ix *Index) moveRows(from, to uint32, s slot) {
	ix.rowsOf[to] = append(ix.rowsOf[to], ix.rowsOf[from]...)
	for _, k := range ix.rowsOf[from] {
		ix.rows[k].owner = to
	}
	delete(ix.rowsOf, from)
	ix.addRow(to, s.place, s.line)
}

// Row is one source row of a record.
type Row struct {
	Source string
	Origin string // "sites.xlsx Sites!12"
	Line   int
	Path   string
}

func (ix *Index) row(p, line uint32) Row {
	pl := ix.places.at(p)
	r := Row{Source: pl.source, Line: int(line), Path: pl.path, Origin: pl.prefix}
	if !pl.noLine {
		r.Origin = pl.prefix + strconv.FormatUint(uint64(line), 10) + pl.suffix
	}
	return r
}

// placeOf interns the origin of it without its line.
func (ix *Index) placeOf(it Item) uint32 {
	p := place{source: it.Source, path: it.OriginPath}
	rest, ok := strings.CutSuffix(it.Origin, it.OriginPath)
	num := strconv.Itoa(it.OriginLine)
	if i := strings.LastIndex(rest, num); ok && it.OriginLine >= 0 && i >= 0 && i+len(num) == len(rest) {
		p.prefix, p.suffix = rest[:i], it.Origin[len(rest):]
	} else {
		p.prefix, p.noLine = it.Origin, true
	}
	return ix.places.id(p)
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

// hash is the hash the index keeps of userObjectId u.
func (ix *Index) hash(u string) uint64 { return maphash.String(ix.seed, u) }
