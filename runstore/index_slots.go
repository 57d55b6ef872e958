package runstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	"github.com/bulkload/bulkload/record"
)

// slot is the fixed part of what the index keeps of one record: 16 bytes.
type slot struct {
	line   uint32
	place  uint32 // Index.places
	parent uint32 // 1 + the parent's id in Index.parents; 0: no parent
	class  uint16 // Index.classes
	status uint8  // statusCode
	flags  uint8
}

const slotBytes = 16

// Slot flags.
const (
	flagUOID     = 1 << iota // the record has a userObjectId
	flagDistinct             // its entity is distinct
	flagNoBody               // its body is empty
	flagLookup               // an On Key body naming ReferenceLookup: converters to link
	flagGone                 // merged into another record by the key rules
)

func (s slot) has(f uint8) bool { return s.flags&f != 0 }

// statuses are the statuses by code; code 0 is a status the index does not know, kept as such.
var statuses = []record.Status{"", record.Valid, record.Invalid, record.Skipped, record.Succeeded,
	record.Failed, record.Unknown, record.Pending}

func statusCode(st record.Status) uint8 {
	for i, s := range statuses {
		if s == st {
			return uint8(i)
		}
	}
	return 0
}

func statusOf(code uint8) record.Status {
	if int(code) < len(statuses) {
		return statuses[code]
	}
	return ""
}

func (s slot) put(b []byte) {
	binary.LittleEndian.PutUint32(b[0:], s.line)
	binary.LittleEndian.PutUint32(b[4:], s.place)
	binary.LittleEndian.PutUint32(b[8:], s.parent)
	binary.LittleEndian.PutUint16(b[12:], s.class)
	b[14], b[15] = s.status, s.flags
}

func getSlot(b []byte) slot {
	return slot{line: binary.LittleEndian.Uint32(b[0:]), place: binary.LittleEndian.Uint32(b[4:]),
		parent: binary.LittleEndian.Uint32(b[8:]), class: binary.LittleEndian.Uint16(b[12:]),
		status: b[14], flags: b[15]}
}

// chunkSlots is how many slots one chunk holds: the unit that spills.
const chunkSlots = 4096

// slotStore holds the slots in chunks; once the chunks in memory pass the bound, each full chunk
// but the last goes to a spill file, from which get and update read it back, one chunk at a time.
type slotStore struct {
	bound  int // chunks kept in memory at most (1 at least)
	dir    string
	chunks [][]slot // nil: spilled
	inMem  int
	n      int
	file   *os.File
	// cached is the spilled chunk last read back (cache), dirty when updated since.
	cached int
	cache  []slot
	dirty  bool
}

func newSlotStore(boundBytes int, dir string) *slotStore {
	return &slotStore{bound: max(1, boundBytes/(chunkSlots*slotBytes)), dir: dir, cached: -1}
}

func (st *slotStore) append(s slot) error {
	c := st.n / chunkSlots
	if c == len(st.chunks) {
		if st.inMem >= st.bound {
			if err := st.spillOne(); err != nil {
				return err
			}
		}
		st.chunks = append(st.chunks, make([]slot, 0, chunkSlots))
		st.inMem++
	}
	st.chunks[c] = append(st.chunks[c], s)
	st.n++
	return nil
}

// spillOne writes the oldest chunk still in memory to the spill file and lets it go.
func (st *slotStore) spillOne() error {
	if st.file == nil {
		f, err := os.CreateTemp(st.dir, "rules-index-*.spill")
		if err != nil {
			return fmt.Errorf("run index: %w", err)
		}
		st.file = f
	}
	for c, ch := range st.chunks {
		if ch == nil {
			continue
		}
		if err := st.write(c, ch); err != nil {
			return err
		}
		st.chunks[c] = nil
		st.inMem--
		return nil
	}
	return nil
}

func (st *slotStore) write(c int, ch []slot) error {
	b := make([]byte, chunkSlots*slotBytes)
	for i, s := range ch {
		s.put(b[i*slotBytes:])
	}
	if _, err := st.file.WriteAt(b, int64(c)*chunkSlots*slotBytes); err != nil {
		return fmt.Errorf("run index: spill: %w", err)
	}
	return nil
}

// chunk returns chunk c, reading it back from the spill file when it is there.
func (st *slotStore) chunk(c int) ([]slot, error) {
	if ch := st.chunks[c]; ch != nil {
		return ch, nil
	}
	if st.cached == c {
		return st.cache, nil
	}
	if st.dirty {
		if err := st.write(st.cached, st.cache); err != nil {
			return nil, err
		}
		st.dirty = false
	}
	b := make([]byte, chunkSlots*slotBytes)
	if _, err := st.file.ReadAt(b, int64(c)*chunkSlots*slotBytes); err != nil {
		return nil, fmt.Errorf("run index: spill: %w", err)
	}
	if st.cache == nil {
		st.cache = make([]slot, chunkSlots)
	}
	for i := range st.cache {
		st.cache[i] = getSlot(b[i*slotBytes:])
	}
	st.cached = c
	return st.cache, nil
}

func (st *slotStore) get(i uint32) (slot, error) {
	ch, err := st.chunk(int(i) / chunkSlots)
	if err != nil {
		return slot{}, err
	}
	return ch[int(i)%chunkSlots], nil
}

func (st *slotStore) update(i uint32, fn func(*slot)) error {
	c := int(i) / chunkSlots
	ch, err := st.chunk(c)
	if err != nil {
		return err
	}
	fn(&ch[int(i)%chunkSlots])
	if st.chunks[c] == nil {
		st.dirty = true
	}
	return nil
}

// spilled reports whether any chunk went to the spill file.
func (st *slotStore) spilled() bool { return st.file != nil }

func (st *slotStore) close() error {
	if st.file == nil {
		return nil
	}
	name := st.file.Name()
	err := errors.Join(st.file.Close(), os.Remove(name))
	st.file = nil
	return err
}
