package readers

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAhead: the bytes come through whole and in order, then the reader's error as it came
// (io.EOF, or a failure after some bytes); Close before the end stops the goroutine.
func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 1000) // 16000 bytes: not a whole number of blocks
	broken := errors.New("inflate failed")
	cases := []struct {
		name    string
		r       io.Reader
		want    []byte
		wantErr error
	}{
		{"whole", bytes.NewReader(data), data, nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data[:3000])), data[:3000], nil},
		{"empty", bytes.NewReader(nil), nil, nil},
		{"fails part way", io.MultiReader(bytes.NewReader(data[:5000]), iotest.ErrReader(broken)), data[:5000], broken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ra := newReadAhead(tc.r, 1024, 2)
			defer ra.Close()
			got, err := io.ReadAll(ra)
			if !bytes.Equal(got, tc.want) {
				t.Errorf("read %d bytes, want %d (or they differ)", len(got), len(tc.want))
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
	ra := newReadAhead(bytes.NewReader(data), 1024, 2)
	if _, err := io.ReadFull(ra, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	ra.Close() // returns only once the goroutine has ended
	ra.Close()
	if _, err := ra.Read(make([]byte, 1)); err == nil {
		t.Error("a read after Close succeeded")
	}
}
