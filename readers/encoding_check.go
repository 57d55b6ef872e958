package readers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// checkEncoding reads the file at path once, after the reader has read its header, for the ways
// a declared (or default) encoding turns a whole file into wrong text:
//   - declared windows-1252 or iso-8859-1, the file is valid UTF-8 and holds non-ASCII text: every
//     such character would be sent as mojibake ("kjÃ¸ling"). Refused, quoting the first such line
//     and saying to declare utf-8.
//   - read as UTF-8 (the default, or declared), the file holds bytes that are not UTF-8 and no
//     character that is: it is in a legacy 8-bit encoding. Refused once for the file, naming the
//     first such line as windows-1252 shows it, instead of one error per row. A file of which a
//     quarter of the bytes are NUL is UTF-16 without a byte order mark, and is said to be so. A
//     UTF-8 file with a few damaged bytes (or NUL bytes) is left to the reader, which names each
//     damaged cell.
//   - declared UTF-16, the file has no NUL byte: it is UTF-8 or a legacy 8-bit encoding, and
//     would be read as a string of CJK characters. Refused, saying which it seems to be.
//
// A file that starts with a byte order mark is what the mark says. display names the file in
// every error, I/O errors included. valid reports that the scan read the whole file, which has no
// byte order mark, and found every byte of it UTF-8: its cells need no check of their own.
func checkEncoding(path, display string, declared textEncoding) (valid bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("%s: %w", display, err)
	}
	defer f.Close()
	sc, err := scanText(f)
	if err != nil {
		return false, fmt.Errorf("%s: %w", display, err)
	}
	if sc.bom {
		return false, nil
	}
	return sc.invalid == nil, sc.problem(display, declared)
}

// problem is checkEncoding's error for what the scan found, nil when there is none.
func (sc *textScan) problem(display string, declared textEncoding) error {
	utf16 := declared.name == encUTF16LE.name || declared.name == encUTF16BE.name
	switch {
	case utf16 && sc.size > 0 && sc.nuls == 0:
		seems := "UTF-8; declare encoding: utf-8"
		if sc.invalid != nil && !sc.multibyte {
			seems = "windows-1252; declare encoding: windows-1252"
		}
		return fmt.Errorf("%s: the file is declared %s, but none of its bytes is NUL, as every other byte of UTF-16 text in a Latin script is: it seems to be %s",
			display, declared.name, seems)
	case utf16:
		return nil
	case declared.name == encUTF8.name && sc.nuls > 0 && sc.nuls*4 >= sc.size:
		return fmt.Errorf("%s: the file is not UTF-8 text: %d of its first %d bytes are NUL; it seems to be UTF-16 without a byte order mark; declare encoding: utf-16le (Windows) or utf-16be",
			display, sc.nuls, sc.size)
	case declared.name != encUTF8.name && sc.invalid == nil && sc.nonASCII != nil:
		l := sc.nonASCII
		w := l.around()
		return fmt.Errorf("%s:%d: the file is declared %s, but it is UTF-8: line %d reads %s as UTF-8 and would be sent as %s; declare encoding: utf-8",
			display, l.line, declared.name, l.line, w.quote(string(w.text)), w.quote(decode8bit(declared, w.text)))
	case declared.name == encUTF8.name && sc.invalid != nil && !sc.multibyte:
		l := sc.invalid
		return fmt.Errorf("%s:%d: the file is not UTF-8 (the encoding read when none is declared): line %d holds the byte 0x%02X, and no character of the file is UTF-8; it seems to be windows-1252, which reads that line as %s; declare encoding: windows-1252 (or iso-8859-1)",
			display, l.line, l.line, l.text[l.at], l.around().quote(decode8bit(encCP1252, l.around().text)))
	}
	return nil
}

// decode8bit decodes text in a single-byte encoding (windows-1252 or iso-8859-1).
func decode8bit(enc textEncoding, text []byte) string {
	cm := charmap.Windows1252
	if enc.name == encLatin1.name {
		cm = charmap.ISO8859_1
	}
	out, err := cm.NewDecoder().Bytes(text)
	if err != nil {
		return string(text)
	}
	return string(out)
}

// textScan is what scanText found.
type textScan struct {
	bom       bool      // the file starts with a UTF-8 or UTF-16 byte order mark
	nonASCII  *lineSeen // the first line with a byte of 0x80 or more
	invalid   *lineSeen // the first line with a byte sequence that is not UTF-8
	multibyte bool      // some character is a valid UTF-8 sequence of two bytes or more
	nuls      int       // the NUL bytes among the bytes scanned
	size      int       // the bytes scanned
}

// lineSeen is a line of the file: its number, its text (without the line break, cut to what the
// scan's buffer held of it) and the offset in text of the byte that made it of interest.
type lineSeen struct {
	line int
	text []byte
	at   int
}

// aroundBytes is how much of a line, at most, a message quotes on each side of the telling byte.
const aroundBytes = 30

// excerptOf is a part of a line, for a message.
type excerptOf struct {
	text          []byte
	before, after bool // text starts after the line's start, ends before its end
}

// around returns the part of the line within aroundBytes of the telling byte, in whole
// characters.
func (l *lineSeen) around() excerptOf {
	start, end := max(0, l.at-aroundBytes), min(len(l.text), l.at+aroundBytes)
	for start > 0 && !utf8.RuneStart(l.text[start]) {
		start--
	}
	for end < len(l.text) && !utf8.RuneStart(l.text[end]) {
		end++
	}
	return excerptOf{text: l.text[start:end], before: start > 0, after: end < len(l.text)}
}

// quote quotes s, the excerpt's text in some encoding, with "..." outside the quotes where the
// line goes on.
func (e excerptOf) quote(s string) string {
	q := strconv.Quote(s)
	if e.before {
		q = "..." + q
	}
	if e.after {
		q += "..."
	}
	return q
}

// scanChunk is how much of the file scanText looks at at a time.
const scanChunk = 256 << 10

// scanText reads r to its end, or until it has seen both invalid UTF-8 and a valid multi-byte
// character (then nothing more can change checkEncoding's answer).
func scanText(r io.Reader) (textScan, error) {
	var sc textScan
	buf := make([]byte, scanChunk+utf8.UTFMax)
	carry := 0 // bytes of an incomplete character kept from the last chunk
	line := 1
	first := true
	for {
		n, err := io.ReadFull(r, buf[carry:carry+scanChunk])
		data := buf[:carry+n]
		if first {
			first = false
			if bytes.HasPrefix(data, bomUTF8) || bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
				sc.bom = true
				return sc, nil
			}
		}
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return sc, err
		}
		keep := 0
		if !end {
			keep = incompleteTail(data)
		}
		body := data[:len(data)-keep]
		sc.note(body, line)
		if sc.invalid != nil && sc.multibyte {
			return sc, nil
		}
		line += bytes.Count(body, []byte{'\n'})
		if end {
			return sc, nil
		}
		carry = copy(buf, data[len(data)-keep:])
	}
}

// incompleteTail returns how many bytes at the end of data start a character that the chunk
// cuts off (0 to 3).
func incompleteTail(data []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(data); k++ {
		c := data[len(data)-k]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(data[len(data)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

// note records what body, whose first byte is on line first, holds.
func (sc *textScan) note(body []byte, first int) {
	sc.nuls += bytes.Count(body, []byte{0})
	sc.size += len(body)
	if sc.nonASCII != nil && sc.multibyte && utf8.Valid(body) {
		return // only a byte that is not UTF-8 can still change the answer
	}
	i := 0
	for i < len(body) {
		j := firstNonASCII(body[i:])
		if j < 0 {
			return
		}
		i += j
		if sc.nonASCII == nil {
			sc.nonASCII = lineAt(body, i, first)
		}
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			if sc.invalid == nil {
				sc.invalid = lineAt(body, i, first)
			}
		} else {
			sc.multibyte = true
		}
		if sc.invalid != nil && sc.multibyte {
			return
		}
		i += size
	}
}

// firstNonASCII returns the offset of the first byte of b that is 0x80 or more, -1 when none
// is; it looks at eight bytes at a time.
func firstNonASCII(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

// lineAt returns the line of body that holds offset i; first is the number of body's first line.
func lineAt(body []byte, i, first int) *lineSeen {
	start := bytes.LastIndexByte(body[:i], '\n') + 1
	end := bytes.IndexByte(body[i:], '\n')
	if end < 0 {
		end = len(body)
	} else {
		end += i
	}
	text := bytes.TrimSuffix(body[start:end], []byte{'\r'})
	return &lineSeen{line: first + bytes.Count(body[:start], []byte{'\n'}), text: bytes.Clone(text), at: i - start}
}
