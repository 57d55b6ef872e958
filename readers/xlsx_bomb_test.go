package readers

import (
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// bitWriter writes the bits of a deflate stream, least significant first.
type bitWriter struct {
	out   *bytes.Buffer
	acc   uint64
	nbits uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.out.WriteByte(byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

// align pads with zero bits to the next byte.
func (w *bitWriter) align() {
	if w.nbits > 0 {
		w.bits(0, 8-w.nbits)
	}
}

// deflateBomb returns a raw deflate stream that inflates to head, then n copies of head's last
// byte, then tail (at most 64 KiB), with the size and CRC-32 of what it inflates to. Its middle
// is one dynamic Huffman block whose only codes are "copy 258 bytes from 1 back" and "end of
// block", one bit each, so it packs 258 bytes into 2 bits: 1 GiB takes about 1 MiB. n is rounded
// down to a multiple of 258.
func deflateBomb(head, tail string, n int64) (raw []byte, size int64, crc uint32) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	_, _ = fw.Write([]byte(head))
	_ = fw.Flush() // ends on a byte boundary, with a block that is not the last
	w := &bitWriter{out: &buf}
	w.bits(0, 1)  // BFINAL: not the last block
	w.bits(2, 2)  // BTYPE: dynamic Huffman codes
	w.bits(29, 5) // HLIT: 286 literal/length codes
	w.bits(0, 5)  // HDIST: 1 distance code
	w.bits(14, 4) // HCLEN: 18 code length codes
	for _, sym := range []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1} {
		if sym == 1 || sym == 18 { // code lengths: 1 (code 0) and "repeat 0" (code 1)
			w.bits(1, 3)
		} else {
			w.bits(0, 3)
		}
	}
	zeros := func(k uint64) { w.bits(1, 1); w.bits(k-11, 7) }
	one := func() { w.bits(0, 1) }
	zeros(138)
	zeros(118)
	one() // 256, end of block: code 0
	zeros(28)
	one() // 285, length 258: code 1
	one() // distance code 0 (1 back): code 0
	matches := n / 258
	for i := int64(0); i < matches; i++ {
		if w.nbits == 0 && matches-i >= 4 { // four matches make the byte 0b01010101
			buf.Write(bytes.Repeat([]byte{0x55}, int((matches-i)/4)))
			i += (matches-i)/4*4 - 1
			continue
		}
		w.bits(1, 1) // length 258
		w.bits(0, 1) // distance 1
	}
	w.bits(0, 1) // end of block
	w.bits(1, 1) // BFINAL
	w.bits(0, 2) // BTYPE: stored
	w.align()
	w.bits(uint64(len(tail)), 16)
	w.bits(uint64(^uint16(len(tail))), 16)
	buf.WriteString(tail)

	h := crc32.NewIEEE()
	h.Write([]byte(head))
	chunk := bytes.Repeat([]byte{head[len(head)-1]}, 1<<20)
	for left := matches * 258; left > 0; left -= int64(len(chunk)) {
		h.Write(chunk[:min(left, int64(len(chunk)))])
	}
	h.Write([]byte(tail))
	return buf.Bytes(), int64(len(head)) + matches*258 + int64(len(tail)), h.Sum32()
}

// The bomb inflates to what it says.
func TestDeflateBomb(t *testing.T) {
	raw, size, crc := deflateBomb("<a>x", "</a>", 1<<20)
	out, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	want := "<a>x" + strings.Repeat("x", 1<<20/258*258) + "</a>"
	if string(out) != want || size != int64(len(want)) || crc != crc32.ChecksumIEEE(out) {
		t.Fatalf("inflated to %d bytes (size %d, crc %x), want %d (crc %x)", len(out), size, crc, len(want), crc32.ChecksumIEEE([]byte(want)))
	}
	if int64(len(raw)) > size/900 {
		t.Errorf("%d bytes packed to %d", size, len(raw))
	}
}
