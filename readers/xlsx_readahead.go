package readers

import (
	"errors"
	"io"
)

// readAhead reads r on a goroutine of its own, a few blocks ahead of the reader that consumes
// it, so that inflating a part and scanning it run on two cores. It hands on r's bytes and then
// r's error (io.EOF at the end) as they came. Close stops the goroutine and waits for it; r is
// the caller's to close after that.
type readAhead struct {
	blocks chan readBlock
	free   chan []byte
	stop   chan struct{}
	done   chan struct{}
	held   []byte // the block cur is in, to be returned to free
	cur    []byte
	err    error
	closed bool
}

type readBlock struct {
	b   []byte
	err error
}

// newReadAhead starts reading r in blocks of size bytes, at most ahead blocks ahead.
func newReadAhead(r io.Reader, size, ahead int) *readAhead {
	ra := &readAhead{blocks: make(chan readBlock, ahead), free: make(chan []byte, ahead+1),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range ahead + 1 {
		ra.free <- make([]byte, size)
	}
	go func() {
		defer close(ra.done)
		for {
			var buf []byte
			select {
			case buf = <-ra.free:
			case <-ra.stop:
				return
			}
			n, err := io.ReadFull(r, buf)
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			select {
			case ra.blocks <- readBlock{b: buf[:n], err: err}:
			case <-ra.stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ra
}

func (ra *readAhead) Read(p []byte) (int, error) {
	if ra.closed {
		return 0, errors.New("read after Close")
	}
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.held != nil {
			ra.free <- ra.held
			ra.held = nil
		}
		blk := <-ra.blocks
		ra.held, ra.cur, ra.err = blk.b[:cap(blk.b)], blk.b, blk.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops reading ahead and waits for the goroutine to end. It is safe to call more than once.
func (ra *readAhead) Close() {
	if !ra.closed {
		ra.closed = true
		close(ra.stop)
		<-ra.done
	}
}
