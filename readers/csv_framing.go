package readers

import (
	"bytes"
)

// CSVFraming is how a CSV file is written, as its reader found it: what a writer needs to write
// a file that reads the same way and looks the same in a spreadsheet (the fix file).
type CSVFraming struct {
	// Delimiter is the delimiter the file is read with: the declared one, or the detected one.
	Delimiter rune
	// Encoding is the canonical name of the encoding the file is read in ("utf-8", "utf-16le",
	// "utf-16be", "windows-1252", "iso-8859-1"): a byte order mark's when the file has one.
	Encoding string
	// BOM is the byte order mark the file starts with, as bytes; nil when it has none.
	BOM []byte
	// LineEnding is the line break that ends the header line ("\r\n" or "\n"); for a file
	// without a header (columns declared) or whose header line is its last, "".
	LineEnding string
	// Preamble is the text (UTF-8) of the lines above the header line that header_row skips,
	// their line breaks included; empty when the header is on line 1.
	Preamble []byte
	// Header is the text (UTF-8) of the header record as it stands in the file, its line break
	// included; nil for a file without a header.
	Header []byte
}

// CSVRaw is implemented by the Source of a CSV file (OpenCSV): it gives the file's framing and
// the text of each record as it stands in the file.
type CSVRaw interface {
	// Framing returns how the file is written. It is known once the Source is open.
	Framing() CSVFraming
	// RawRecord returns the text (UTF-8) of the record that the last call of Next returned, as
	// it stands in the file: its quotes, its line breaks inside quoted fields and its own line
	// break (absent on a last line without one), without the empty lines before it. It returns
	// nil for a record the csv package could not parse (Row.Err set by a malformed quote) and
	// before the first record. The slice is valid until the next call of Next.
	RawRecord() []byte
}

var _ CSVRaw = (*csvSource)(nil)

// Framing implements CSVRaw.
func (s *csvSource) Framing() CSVFraming {
	f := CSVFraming{Delimiter: s.r.Comma, Encoding: s.enc.name, BOM: append([]byte(nil), s.bom...), Preamble: s.preamble, Header: s.headerRaw}
	switch {
	case bytes.HasSuffix(s.headerRaw, []byte("\r\n")):
		f.LineEnding = "\r\n"
	case bytes.HasSuffix(s.headerRaw, []byte("\n")):
		f.LineEnding = "\n"
	}
	return f
}

// RawRecord implements CSVRaw.
func (s *csvSource) RawRecord() []byte { return s.raw }

// trimEmptyLines removes the empty lines ("\n", "\r\n") at the start of a record's text, which
// encoding/csv skips and the guard charges to the record after them.
func trimEmptyLines(raw []byte) []byte {
	for {
		switch {
		case bytes.HasPrefix(raw, []byte("\n")):
			raw = raw[1:]
		case bytes.HasPrefix(raw, []byte("\r\n")):
			raw = raw[2:]
		default:
			return raw
		}
	}
}
