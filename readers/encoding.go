package readers

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// encodingNames lists the encoding names a CSV source or lookup table may declare, in the order
// error messages show them. Names are matched case-insensitively; "" means utf-8.
var encodingNames = []string{"utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "cp1252", "iso-8859-1", "latin1"}

// textEncoding is a declared encoding, resolved.
type textEncoding struct {
	// name is the canonical name, for messages.
	name string
	// decoder returns the decoder to UTF-8; nil means the bytes are UTF-8 already and are passed
	// through unchanged, so that invalid sequences can be reported on the cell that holds them.
	decoder func() *encoding.Decoder
}

var (
	encUTF8    = textEncoding{name: "utf-8"}
	encUTF16LE = textEncoding{name: "utf-16le", decoder: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder}
	encUTF16BE = textEncoding{name: "utf-16be", decoder: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder}
	encCP1252  = textEncoding{name: "windows-1252", decoder: charmap.Windows1252.NewDecoder}
	encLatin1  = textEncoding{name: "iso-8859-1", decoder: charmap.ISO8859_1.NewDecoder}
)

// lookupEncoding resolves a declared encoding name. An unknown name is an error that lists the
// accepted names.
func lookupEncoding(name string) (textEncoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return encUTF8, nil
	case "utf-16", "utf16", "utf-16le", "utf16le":
		// A file declared utf-16 without a BOM is read as little-endian, the Windows convention.
		return encUTF16LE, nil
	case "utf-16be", "utf16be":
		return encUTF16BE, nil
	case "windows-1252", "cp1252":
		return encCP1252, nil
	case "iso-8859-1", "latin1":
		return encLatin1, nil
	}
	return textEncoding{}, fmt.Errorf("unknown encoding %q; use one of %s", name, strings.Join(encodingNames, ", "))
}

// Byte order marks.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText returns raw's content as UTF-8 text, the encoding actually used and the byte order
// mark removed (nil: none). A byte order mark decides the encoding whatever was declared (a UTF-8
// BOM means UTF-8, an UTF-16 BOM means UTF-16 of that byte order) and is removed; without one, the
// declared encoding applies.
//
// This does what unicode.BOMOverride does, by hand, for one reason: BOMOverride decodes a file
// that starts with a UTF-8 BOM through a decoder that silently turns invalid bytes into U+FFFD,
// while the reader must report them on their cell.
func decodeText(raw *bufio.Reader, declared textEncoding) (io.Reader, textEncoding, []byte, error) {
	head, err := raw.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, declared, nil, err
	}
	enc := declared
	var bom []byte
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		enc, bom = encUTF8, bomUTF8
	case bytes.HasPrefix(head, bomUTF16LE):
		enc, bom = encUTF16LE, bomUTF16LE
	case bytes.HasPrefix(head, bomUTF16BE):
		enc, bom = encUTF16BE, bomUTF16BE
	}
	_, _ = raw.Discard(len(bom))
	if enc.decoder == nil {
		return raw, enc, bom, nil
	}
	return transform.NewReader(raw, enc.decoder()), enc, bom, nil
}
