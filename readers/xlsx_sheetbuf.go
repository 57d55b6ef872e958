package readers

import "io"

// sheetBuf buffers a sheet's XML for both of its readers: the strict decoder reads it byte by
// byte (it is an io.ByteReader, so that the decoder reads no further than the tokens it returns),
// and the fast scanner (xlsx_fast.go) reads its bytes in place from where the decoder stopped.
type sheetBuf struct {
	r        io.Reader
	buf      []byte
	pos, end int   // buf[pos:end] is unread
	dropped  int64 // bytes dropped from the front of buf
	err      error // the error that ended reading r
}

// sheetBufSize is the initial size of the buffer; fastMaxBuf bounds how far it grows to hold one
// token (a longer one is read by the strict decoder).
const (
	sheetBufSize = 64 << 10
	fastMaxBuf   = 64 << 20
	keepBytes    = 256 // read bytes kept before pos, so that the tag just read can be seen
)

func newSheetBuf(r io.Reader) *sheetBuf { return &sheetBuf{r: r, buf: make([]byte, sheetBufSize)} }

// ReadByte returns the next byte.
func (b *sheetBuf) ReadByte() (byte, error) {
	if b.pos == b.end && !b.fill() {
		return 0, b.err
	}
	c := b.buf[b.pos]
	b.pos++
	return c, nil
}

// Read reads what is buffered, else from r (for a decoder that reads another encoding).
func (b *sheetBuf) Read(p []byte) (int, error) {
	if b.pos == b.end && !b.fill() {
		return 0, b.err
	}
	n := copy(p, b.buf[b.pos:b.end])
	b.pos += n
	return n, nil
}

// consumed is the number of bytes read from the buffer.
func (b *sheetBuf) consumed() int64 { return b.dropped + int64(b.pos) }

// fill reads more of r into the buffer, keeping the unread bytes and up to keepBytes read ones
// before them, growing the buffer when the unread bytes fill it (to at most fastMaxBuf). It
// returns false when no byte was added: r ended or failed (b.err), or the buffer is at its bound.
func (b *sheetBuf) fill() bool {
	if b.err != nil {
		return false
	}
	if keep := max(b.pos-keepBytes, 0); keep > 0 {
		copy(b.buf, b.buf[keep:b.end])
		b.pos, b.end, b.dropped = b.pos-keep, b.end-keep, b.dropped+int64(keep)
	}
	if b.end == len(b.buf) {
		if len(b.buf) >= fastMaxBuf {
			return false
		}
		b.buf = append(b.buf, make([]byte, len(b.buf))...)
	}
	for {
		n, err := b.r.Read(b.buf[b.end:])
		b.end += n
		if err != nil {
			b.err = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
}
