package readers

import (
	"errors"
	"io"
)

// Positioned is a Source that can tell how far its reading got, for a progress display: done
// bytes of total consumed from its file (CSV: the file as stored; XLSX: the sheet's XML,
// uncompressed). done runs ahead of the rows returned by as much as the reader buffers; total 0
// means the size is not known. Position is called from the goroutine that calls Next.
type Positioned interface {
	Position() (done, total int64)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	rc io.ReadCloser
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.rc.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return c.rc.Close() }

// Position reports the bytes of the CSV file read: the text the csv.Reader consumed, in the
// file's bytes (scaled by the file bytes read per text byte decoded so far, which differ in
// an encoding other than UTF-8), so that the read-ahead buffers do not count; the size once the
// file is read to its end.
func (s *csvSource) Position() (done, total int64) {
	if s.counted == nil {
		return 0, 0
	}
	if errors.Is(s.err, io.EOF) || s.guard.n == 0 {
		return min(s.counted.n, s.size), s.size
	}
	passed := s.counted.n - int64(s.buffered.Buffered()) // the file's bytes decoded into guard.n of text
	done = int64(float64(s.guard.consumed()) * float64(passed) / float64(s.guard.n))
	return min(done, s.size), s.size
}

// Position reports the bytes read of the sheet's XML.
func (s *xlsxSource) Position() (done, total int64) {
	if s.counted == nil {
		return 0, 0
	}
	return s.counted.n, s.size
}
