package readers

import "io"

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

// Position reports the bytes read of the CSV file.
func (s *csvSource) Position() (done, total int64) {
	if s.counted == nil {
		return 0, 0
	}
	return s.counted.n, s.size
}

// Position reports the bytes read of the sheet's XML.
func (s *xlsxSource) Position() (done, total int64) {
	if s.counted == nil {
		return 0, 0
	}
	return s.counted.n, s.size
}
