package record

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Spill is a temporary file of entries in a compact binary encoding: an evaluation writes the
// entries there in row order (Append), reads single ones back by their offset while the cross-row
// rules run (At), then the whole file once (Each). The strings that records repeat (entity,
// kind, entity type, action, endpoint, source, status) are written once and then referred to.
// Outcomes, Rows and Further are not kept. A Spill is not safe for concurrent use; Close removes
// the file.
type Spill struct {
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes appended
	buf  []byte
	// names numbers the repeated strings in the order first written; list is the reverse.
	names map[string]uint64
	list  []string
}

// NewSpill creates the spill file in dir.
func NewSpill(dir string) (*Spill, error) {
	f, err := os.CreateTemp(dir, ".spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	return &Spill{f: f, w: bufio.NewWriterSize(f, 256<<10), names: map[string]uint64{}}, nil
}

// Append writes e and returns its offset, for At and Skip.
func (s *Spill) Append(e *Entry) (int64, error) {
	b := s.buf[:0]
	b = binary.AppendVarint(b, e.Seq)
	b = appendString(b, e.UserObjectID)
	b = s.appendName(b, e.Entity)
	b = s.appendName(b, e.Kind)
	b = s.appendName(b, e.EntityType)
	b = s.appendName(b, e.Action)
	b = s.appendName(b, e.Endpoint)
	b = binary.AppendVarint(b, int64(e.GroupOrder))
	b = appendString(b, e.Parent)
	b = s.appendName(b, string(e.Status))
	b = append(binary.AppendUvarint(b, uint64(len(e.Body))), e.Body...)
	var flags byte
	if e.Distinct {
		flags |= 1
	}
	b = append(b, flags)
	b = append(binary.AppendUvarint(b, uint64(len(e.Env))), e.Env...)
	b = s.appendName(b, e.Source)
	b = appendString(b, e.Origin)
	b = binary.AppendVarint(b, int64(e.OriginLine))
	b = appendString(b, e.OriginPath)
	b = binary.AppendUvarint(b, uint64(len(e.Messages)))
	for _, m := range e.Messages {
		for _, f := range [...]string{m.Code, m.Property, m.Cell, m.Value, m.Field, m.Text, m.Severity} {
			b = appendString(b, f)
		}
		b = binary.AppendVarint(b, int64(m.Line))
	}
	// The record is framed by its length, so that At reads it in one call.
	var head [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(b)))
	off := s.size
	if _, err := s.w.Write(head[:n]); err != nil {
		return 0, fmt.Errorf("spill: %w", err)
	}
	if _, err := s.w.Write(b); err != nil {
		return 0, fmt.Errorf("spill: %w", err)
	}
	s.size += int64(n + len(b))
	s.buf = b
	return off, nil
}

// appendName writes a repeated string: its number plus one once it has one, else 0 and the text.
func (s *Spill) appendName(b []byte, name string) []byte {
	if id, ok := s.names[name]; ok {
		return binary.AppendUvarint(b, id+1)
	}
	s.names[name] = uint64(len(s.list))
	s.list = append(s.list, name)
	return appendString(binary.AppendUvarint(b, 0), name)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// At reads back the entry at offset off (from Append or Skip).
func (s *Spill) At(off int64) (Entry, error) {
	size, k, err := s.head(off)
	if err != nil {
		return Entry{}, err
	}
	b := make([]byte, size)
	if _, err := s.f.ReadAt(b, off+int64(k)); err != nil {
		return Entry{}, fmt.Errorf("spill: record at %d: %w", off, err)
	}
	return s.decode(b)
}

// Skip returns the offset of the entry after the one at off, without reading it.
func (s *Spill) Skip(off int64) (int64, error) {
	size, k, err := s.head(off)
	return off + int64(k) + int64(size), err
}

// head reads the length of the entry at off, and the length of that length.
func (s *Spill) head(off int64) (size uint64, k int, err error) {
	if err := s.w.Flush(); err != nil {
		return 0, 0, fmt.Errorf("spill: %w", err)
	}
	var head [binary.MaxVarintLen64]byte
	n, err := s.f.ReadAt(head[:], off)
	if n == 0 {
		return 0, 0, fmt.Errorf("spill: record at %d: %w", off, err)
	}
	size, k = binary.Uvarint(head[:n])
	if k <= 0 || off+int64(k)+int64(size) > s.size {
		return 0, 0, fmt.Errorf("spill: record at %d: bad length", off)
	}
	return size, k, nil
}

// Each calls fn with every entry in the order appended, stopping at the first error fn returns.
// The entry is fn's to keep.
func (s *Spill) Each(fn func(e *Entry) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	r := bufio.NewReaderSize(io.NewSectionReader(s.f, 0, s.size), 256<<10)
	var b []byte
	for {
		size, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("spill: %w", err)
		}
		if uint64(cap(b)) < size {
			b = make([]byte, size)
		}
		b = b[:size]
		if _, err := io.ReadFull(r, b); err != nil {
			return fmt.Errorf("spill: %w", err)
		}
		e, err := s.decode(b)
		if err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
}

// Close removes the spill file.
func (s *Spill) Close() error {
	err := s.f.Close()
	return errors.Join(err, os.Remove(s.f.Name()))
}

// decode reads one entry's encoding; it copies what it keeps of b.
func (s *Spill) decode(b []byte) (Entry, error) {
	d := decoder{b: b, names: s.list}
	var e Entry
	e.Seq = d.varint()
	e.UserObjectID = d.string()
	e.Entity, e.Kind, e.EntityType, e.Action, e.Endpoint = d.name(), d.name(), d.name(), d.name(), d.name()
	e.GroupOrder = int(d.varint())
	e.Parent = d.string()
	e.Status = Status(d.name())
	if body := d.bytes(); len(body) > 0 {
		e.Body = append([]byte(nil), body...)
	}
	e.Distinct = d.byte()&1 != 0
	if env := d.bytes(); len(env) > 0 {
		e.Env = append([]byte(nil), env...)
	}
	e.Source = d.name()
	e.Origin = d.string()
	e.OriginLine = int(d.varint())
	e.OriginPath = d.string()
	if n := d.uvarint(); n > 0 && n <= uint64(len(b)) {
		e.Messages = make([]Message, n)
		for i := range e.Messages {
			m := &e.Messages[i]
			m.Code, m.Property, m.Cell, m.Value, m.Field, m.Text, m.Severity = d.string(), d.string(), d.string(), d.string(), d.string(), d.string(), d.string()
			m.Line = int(d.varint())
		}
	}
	if d.err != nil {
		return Entry{}, fmt.Errorf("spill: record %d: %w", e.Seq, d.err)
	}
	return e, nil
}

// decoder reads the fields of one encoded entry, keeping the first error.
type decoder struct {
	b     []byte
	names []string
	err   error
}

var errShort = errors.New("truncated record")

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) string() string { return string(d.bytes()) }

func (d *decoder) name() string {
	id := d.uvarint()
	if id == 0 {
		return d.string()
	}
	if id > uint64(len(d.names)) {
		d.fail()
		return ""
	}
	return d.names[id-1]
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errShort
	}
	d.b = nil
}
