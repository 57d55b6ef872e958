package readers

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Before any row of a sheet is handed on, the reader checks what would otherwise be found only
// part way through it:
//
//   - the shared strings table, with a strict XML decoder (a damaged table spoils every cell that
//     reads a string after the damage);
//   - the sheet's XML, with a quick scan of its tags, not a full decode: rows in ascending order,
//     every shared-string reference against the table, and the first row after the header in which
//     each column holds a value (so that a blank header cell over data is an error of Open).
//
// The rows themselves are then read by sheetRows (the fast scanner, with the strict decoder where
// it falls back), which names the cell where the XML stops being well formed.
//
// Reading could check the row order and the shared-string references as it goes, but they would
// then be errors of Next after rows were handed on, where they are errors of Open; a blank header
// cell over data cannot be told before the header is handed on without reading the whole sheet.
// The scan is therefore a pass of its own, kept cheap: a scan of the tags, not a decode, with the
// part inflated on another goroutine (readAhead).

// xmlFault is where a strict XML decoder stopped, and why.
type xmlFault struct {
	line, col int
	err       error
}

func (e *xmlFault) Error() string {
	msg := e.err.Error()
	var se *xml.SyntaxError
	if errors.As(e.err, &se) {
		msg = se.Msg
	}
	if msg == "unexpected EOF" || errors.Is(e.err, io.ErrUnexpectedEOF) {
		msg = "the XML ends in the middle of an element: is it cut short?"
	}
	return fmt.Sprintf("line %d, column %d: %s", e.line, e.col, msg)
}

func (e *xmlFault) Unwrap() error { return e.err }

// newDecoder returns a strict XML decoder that reads the encodings an XML declaration may name.
func newDecoder(r io.Reader, charset func(string, io.Reader) (io.Reader, error)) *xml.Decoder {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset
	return dec
}

// fault records the decoder's position with err.
func fault(dec *xml.Decoder, err error) *xmlFault {
	line, col := dec.InputPos()
	return &xmlFault{line: line, col: col, err: err}
}

// sharedStrings is what a strict decode of the shared strings table found.
type sharedStrings struct {
	part  string    // the table's part, "" when the workbook has none
	count int       // the strings that can be read: all of them, or those before fault
	fault *xmlFault // where the table is malformed, nil when it is not
	texts []string  // the strings that can be read, as plain text
}

// malformed describes the fault for messages.
func (sst sharedStrings) malformed() string {
	return fmt.Sprintf("malformed shared strings (%s, %s)", sst.part, sst.fault)
}

// cellFault is a problem the scan found at a row (col 0) or a cell of the sheet.
type cellFault struct {
	row, col int // 1-based
	msg      string
}

func (e *cellFault) Error() string { return e.msg }

// at renders the place of the fault for messages: "Sites!C12", or "Sites!12" for a row.
func (e *cellFault) at(sheet string) string {
	if e.col > 0 {
		return fmt.Sprintf("%s!%s%d", sheet, ColumnLetters(e.col-1), e.row)
	}
	return fmt.Sprintf("%s!%d", sheet, e.row)
}

// sheetScan is what the quick scan of a sheet's XML found.
type sheetScan struct {
	part    string // the zip part of the sheet's XML
	lastRow int    // the number of the last row element in sheetData, 0 when there is none
	closed  bool   // sheetData ends (or is empty)
	// dataFrom is, for each column (index 0 for A), the first row after the header row in which
	// it holds a value, 0 for none; it covers the columns up to the last that holds one.
	dataFrom []int
}

// sheetScanner is the state of one scan. It scans blocks of the XML with bytes.IndexByte, which
// costs about as much as inflating the part: much less than decoding it.
type sheetScanner struct {
	sst  sharedStrings
	scan *sheetScan

	inData   bool
	row, col int
	shared   bool   // the cell being read is a shared string
	inV      bool   // inside the value of a shared-string cell
	v        []byte // that value, up to maxIndexLen+1 bytes
	inValue  bool   // inside a v or t element of a cell
	after    int    // the header row: dataFrom counts the rows after it
}

// maxIndexLen bounds the value of a shared-string cell that the scan keeps: longer is no index.
const maxIndexLen = 24

// scanBlockSize is the size of the blocks scanned; a tag longer than that grows the block. Tests
// make it small, so that every construct is cut across blocks.
var scanBlockSize = 256 << 10

// scanSheet scans the sheet's XML r. It returns a *cellFault for rows out of order and for a
// shared-string reference that cannot be read: one beyond the table, into its damaged part, or
// not a number. An error reading r is returned as it is.
//
// after is the header row: for each column, the scan notes the first row after it in which the
// column holds a value.
func scanSheet(r io.Reader, sst sharedStrings, after int) (*sheetScan, error) {
	x := &sheetScanner{sst: sst, scan: &sheetScan{}, after: after}
	buf := make([]byte, scanBlockSize)
	n := 0 // bytes in buf
	for {
		m, err := io.ReadFull(r, buf[n:])
		n += m
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return nil, err
		}
		used, done, err := x.block(buf[:n], eof)
		if err != nil {
			return nil, err
		}
		if done || eof {
			return x.scan, nil // at EOF without the end of sheetData, x.scan.closed is false
		}
		n = copy(buf, buf[used:n])
		if n == len(buf) { // one tag fills the block
			buf = append(buf, make([]byte, len(buf))...)
		}
	}
}

// block scans data up to its last whole token and returns how much of it it consumed, and
// whether the end of sheetData was reached. eof says that no more data follows.
func (x *sheetScanner) block(data []byte, eof bool) (used int, done bool, err error) {
	pos := 0
	for {
		lt := bytes.IndexByte(data[pos:], '<')
		if lt < 0 {
			x.text(data[pos:])
			return len(data), false, nil
		}
		x.text(data[pos : pos+lt])
		start := pos + lt // the '<'
		end, kind := markupEnd(data, start)
		if end < 0 {
			if eof {
				return len(data), false, nil // cut off inside a tag: sheetData is not closed
			}
			return start, false, nil
		}
		pos = end
		tag := data[start+1 : end] // without '<', with '>'
		if kind != 0 {
			continue // a comment, CDATA section, processing instruction or declaration
		}
		done, err := x.element(tag)
		if err != nil {
			return start, false, err
		}
		if done {
			x.scan.closed = true
			return end, true, nil
		}
	}
}

// markupEnd returns the end (just past the '>') of the markup that starts with the '<' at
// data[start], or -1 when data does not hold all of it; and its kind: 0 for an element tag, '?'
// for a processing instruction or the XML declaration, '!' for a comment, CDATA section or
// declaration.
func markupEnd(data []byte, start int) (int, byte) {
	rest := data[start+1:]
	find := func(kind byte, endMark string) (int, byte) {
		if i := bytes.Index(rest, []byte(endMark)); i >= 0 {
			return start + 1 + i + len(endMark), kind
		}
		return -1, kind
	}
	const cdata = "![CDATA["
	switch {
	case len(rest) == 0:
		return -1, 0
	case rest[0] == '?':
		return find('?', "?>")
	case rest[0] != '!':
		return tagEnd(rest, start, 0)
	case len(rest) < 3 || len(rest) < len(cdata) && bytes.HasPrefix([]byte(cdata), rest):
		return -1, '!' // too short to tell which
	case bytes.HasPrefix(rest, []byte("!--")):
		return find('!', "-->")
	case bytes.HasPrefix(rest, []byte(cdata)):
		return find('!', "]]>")
	}
	return tagEnd(rest, start, '!') // <!DOCTYPE ...>: quoted strings may hold '>'
}

// tagEnd is markupEnd for a tag: rest follows its '<' at start. The tag ends at the first '>'
// outside a quoted attribute value.
func tagEnd(rest []byte, start int, kind byte) (int, byte) {
	gt := bytes.IndexByte(rest, '>')
	if gt < 0 {
		return -1, kind
	}
	if tag := rest[:gt]; bytes.IndexByte(tag, '\'') < 0 && bytes.Count(tag, []byte{'"'})%2 == 0 {
		return start + 1 + gt + 1, kind // the common case: no '>' inside a quoted value
	}
	var quote byte
	for i, c := range rest {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return start + 1 + i + 1, kind
		}
	}
	return -1, kind
}

// text takes the text between tags: it keeps the value of a shared-string cell, and notes a
// column that holds a value.
func (x *sheetScanner) text(b []byte) {
	if x.inV && len(b) > 0 {
		x.v = append(x.v, b[:min(len(b), maxIndexLen+1-len(x.v))]...)
	}
	if x.inValue && x.row > x.after && x.col > 0 && x.col <= maxSheetColumns && len(trimSpace(b)) > 0 {
		for len(x.scan.dataFrom) < x.col {
			x.scan.dataFrom = append(x.scan.dataFrom, 0)
		}
		if x.scan.dataFrom[x.col-1] == 0 {
			x.scan.dataFrom[x.col-1] = x.row
		}
	}
}

// element handles an element tag (without its '<'). It returns true at the end of sheetData.
func (x *sheetScanner) element(tag []byte) (bool, error) {
	closing := len(tag) > 0 && tag[0] == '/'
	if closing {
		tag = tag[1:]
	}
	name := tag
	for i, c := range tag {
		if isSpace(c) || c == '/' || c == '>' {
			name = tag[:i]
			break
		}
	}
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	selfClosing := bytes.HasSuffix(tag, []byte("/>"))
	if !x.inData {
		if string(name) == "sheetData" && !closing {
			x.inData = true
			return selfClosing, nil
		}
		return false, nil
	}
	switch {
	case closing && string(name) == "sheetData":
		return true, nil
	case closing && string(name) == "v":
		if x.inV {
			x.inV = false
			return false, x.checkIndex()
		}
	case closing && string(name) == "c":
		x.shared, x.inV, x.inValue = false, false, false
	case closing && (string(name) == "t" || string(name) == "v"):
		x.inValue = false
	case closing:
	case string(name) == "row":
		// As sheetRows numbers rows: by the r attribute, else one more than the row before.
		n := x.row + 1
		if r, ok := attr(tag, "r"); ok {
			if k, err := strconv.Atoi(string(r)); err == nil && k != 0 {
				n = k
			}
		}
		if n <= x.row {
			return false, &cellFault{row: x.row, msg: fmt.Sprintf("row %d comes after row %d: the rows of the sheet's XML are out of order, which the format does not allow", n, x.row)}
		}
		x.row, x.col, x.shared, x.inV = n, 0, false, false
		x.scan.lastRow = n
	case string(name) == "c":
		x.col++
		if r, ok := attr(tag, "r"); ok {
			if c := columnOf(r); c > 0 {
				x.col = c // sheetRows fails the sheet on a reference without a column
			}
		}
		t, _ := attr(tag, "t")
		x.shared, x.inV = string(t) == "s" && !selfClosing, false
	case (string(name) == "v" || string(name) == "t") && !selfClosing:
		x.inValue = true
		if string(name) == "v" && x.shared {
			x.inV, x.v = true, x.v[:0]
		}
	}
	return false, nil
}

// checkIndex checks the value of a shared-string cell, in x.v, against the shared strings table.
// An empty value is an empty cell; a value that is not the number of a string in the table is
// an error.
func (x *sheetScanner) checkIndex() error {
	if len(x.v) == 0 {
		return nil
	}
	at := &cellFault{row: x.row, col: x.col}
	i, err := strconv.Atoi(string(bytes.TrimSpace(x.v)))
	switch {
	case err != nil || len(x.v) > maxIndexLen:
		at.msg = fmt.Sprintf("the cell is a shared string, but its value %q is not the number of one: the sheet's XML is malformed", x.v)
	case x.sst.part == "":
		at.msg = fmt.Sprintf("the cell refers to shared string %d, but the workbook has no shared strings table", i)
	case x.sst.fault != nil && i >= x.sst.count:
		at.msg = x.sst.malformed() + ": the cell's text cannot be read"
	case i < 0 || i >= x.sst.count:
		at.msg = fmt.Sprintf("the cell refers to shared string %d, but the workbook's table has %d (0 to %d)", i, x.sst.count, x.sst.count-1)
	default:
		return nil
	}
	return at
}

// attr returns the value of the attribute with the given local name in an element tag (the tag's
// name first), or false. Entities in the value are not resolved; the scan needs none.
func attr(tag []byte, name string) ([]byte, bool) {
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	rest := tag[i:]
	for {
		eq := bytes.IndexByte(rest, '=')
		if eq < 0 {
			return nil, false
		}
		key := trimSpace(rest[:eq])
		if j := bytes.LastIndexByte(key, ':'); j >= 0 {
			key = key[j+1:]
		}
		rest = trimSpace(rest[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return nil, false
		}
		if string(key) == name {
			return rest[1 : 1+end], true
		}
		rest = rest[end+2:]
	}
}

// isSpace reports whether c is XML white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// trimSpace trims XML white space from both ends of b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// columnOf returns the column number (1 for A) of a cell reference such as "AB12", in either case
// or 0 when it starts with no letter.
func columnOf(ref []byte) int {
	n := 0
	for _, c := range ref {
		switch {
		case 'A' <= c && c <= 'Z':
			n = n*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			n = n*26 + int(c-'a') + 1
		default:
			return n
		}
		if n > 1<<20 {
			return n // far beyond XFD: sheetRows fails the sheet
		}
	}
	return n
}
