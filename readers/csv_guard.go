package readers

import (
	"bufio"
	"errors"
	"io"
)

// errRecordTooLong is what a recordGuard returns to encoding/csv once the record being read has
// passed the limit; the CSV source turns it into a message naming the file and the line.
var errRecordTooLong = errors.New("record too long")

// recordGuard sits under the buffer that encoding/csv reads from and fails the read that would
// take the record being read past limit. encoding/csv holds a whole record in memory and has no
// limit of its own, so without the guard a quote that is never closed near the start of a large
// file would make it hold the rest of the file.
//
// The guard counts the bytes the csv.Reader has consumed (those passed on, less those still in
// br), so read-ahead is not charged to the record. The empty lines that encoding/csv skips before
// a record are charged to it.
//
// The guard also keeps the bytes of the record being read as they stand in the input (see
// record), so that what encoding/csv changes in them can be undone.
type recordGuard struct {
	r     io.Reader
	br    *bufio.Reader // the buffer that reads from the guard, set once it exists
	limit int64
	n     int64 // bytes passed on to br
	start int64 // consumed offset at which the current record starts; -1 while not armed
	// raw holds the bytes passed on from offset rawStart: at least those from start on.
	raw      []byte
	rawStart int64
}

func newRecordGuard(r io.Reader, limit int) *recordGuard {
	return &recordGuard{r: r, limit: int64(limit), start: -1}
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.start >= 0 && g.consumed()-g.start > g.limit {
		return 0, errRecordTooLong
	}
	if drop := g.start - g.rawStart; g.start >= 0 && drop > int64(len(g.raw)/2) {
		// Amortised: the bytes before the record are dropped once they are half of raw.
		g.raw = g.raw[:copy(g.raw, g.raw[drop:])]
		g.rawStart = g.start
	}
	n, err := g.r.Read(p)
	g.raw = append(g.raw, p[:n]...)
	g.n += int64(n)
	return n, err
}

// record returns the bytes of the record just read (the empty lines before it included) as they
// stand in the input. Call it before next; the slice is valid until the next read.
func (g *recordGuard) record() []byte {
	return g.raw[g.start-g.rawStart : g.consumed()-g.rawStart]
}

// consumed is the offset of the next byte the csv.Reader will read.
func (g *recordGuard) consumed() int64 { return g.n - int64(g.br.Buffered()) }

// arm starts the count for the record that begins at the next byte.
func (g *recordGuard) arm() { g.start = g.consumed() }

// next returns the size of the record just read (the empty lines before it included) and starts
// the count for the next one.
func (g *recordGuard) next() int64 {
	size := g.consumed() - g.start
	g.arm()
	return size
}
