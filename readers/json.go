package readers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/spec"
)

// OpenJSON opens JSON documents: the file src.File, or, when src.File is a folder, every regular
// file directly inside it whose name ends in ".json" (".jsonl" or ".ndjson" when src.Format is
// jsonl), read one after the other in sorted name order. src.Format is "json" or "jsonl"; empty
// means jsonl for a .jsonl or .ndjson file and json otherwise (a folder too). Origin.File is
// src.Path (src.File when Path is empty), or for a folder member src.Path + "/" + its name.
//
// A json file holds one top-level array whose elements are the documents (Origin.Line is the
// 1-based element index), or one other value, which is the only document (Line 1). The array is
// streamed: one element is held at a time. A jsonl file holds one document per line (Line is
// the physical line); blank lines are skipped. A UTF-8 byte order mark is ignored.
//
// JSON has no header, so each row's Columns are the top-level keys of its own object in document
// order (a fresh slice per row, which the caller may keep), and Values the decoded values
// (string, json.Number, bool, nil, map[string]any, []any). Nested objects are maps, so their key
// order is lost; only the exploded path keeps it. Invalid UTF-8 in a string becomes U+FFFD, as
// encoding/json makes it.
//
// When src.Explode is empty each document is a row. Otherwise only the elements of the nested
// array at that path of object keys are rows, and the documents' own rows are reached through
// Parent: for ["Orderlines"] each element of a document's Orderlines array is a row whose
// Parent is the document's row (whose Values still hold the whole array) and whose Origin.Path
// is a JSON pointer such as "/Orderlines/2" (0-based, as pointers are); for ["Orderlines",
// "ERPSerials"] each serial is a row whose Parent is its line's row, whose Parent is the
// document's row. A document whose array is missing or null yields no rows.
//
// Nothing is dropped silently. A document that is not an object, a value on the explode path
// that is not an array (or an element that is not an object), and an object with a duplicate
// key come back as rows with Row.Err (a *RowError) naming the file, document and JSON pointer,
// such as `orders.json:3/Orderlines: is a string, not an array`. A syntax error in a jsonl line
// is a row error naming that line and byte column, and reading goes on with the next line. A
// syntax error in a json file ends that file, since nothing after it can be trusted: it is
// delivered as a row with Err naming the element being read and the physical line and byte
// column of the fault (`orders.json:3: line 7, column 12: invalid character ...`, or
// `orders.json:3: line 9: unexpected end of file` for a truncated file), and reading goes on
// with the next file of the folder. An empty json file is such a row too ("empty file").
//
// A folder without matching files, an unknown format and an unreadable file are errors of
// OpenJSON; an I/O error while reading is an error of Next naming the file. The caller must
// Close the Source.
func OpenJSON(src *spec.Source) (Source, error) {
	display := src.Path
	if display == "" {
		display = src.File
	}
	fi, err := os.Stat(src.File)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	format := src.Format
	if format == "" {
		format = "json"
		if ext := strings.ToLower(filepath.Ext(src.File)); !fi.IsDir() && (ext == ".jsonl" || ext == ".ndjson") {
			format = "jsonl"
		}
	}
	if format != "json" && format != "jsonl" {
		return nil, fmt.Errorf("%s: format %q is not json or jsonl", display, format)
	}
	if !fi.IsDir() {
		return newJSONSource([]jsonMember{fileMember(display, src.File)}, format == "jsonl", src.Explode), nil
	}
	members, err := folderMembers(display, src.File, format)
	if err != nil {
		return nil, err
	}
	return newJSONSource(members, format == "jsonl", src.Explode), nil
}

// folderMembers lists the files (and links) of a folder source with the format's extensions, in
// sorted name order.
func folderMembers(display, dir, format string) ([]jsonMember, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	exts := []string{".json"}
	if format == "jsonl" {
		exts = []string{".jsonl", ".ndjson"}
	}
	var members []jsonMember
	for _, e := range entries { // os.ReadDir sorts by name
		// Links are members too: one that leads nowhere is an error when its turn comes,
		// rather than a file silently left out.
		if e.IsDir() || !slices.Contains(exts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		members = append(members, fileMember(display+"/"+e.Name(), filepath.Join(dir, e.Name())))
	}
	if len(members) == 0 {
		return nil, fmt.Errorf("%s: the folder holds no %s files", display, strings.Join(exts, " or "))
	}
	return members, nil
}

// jsonMember is one file of a JSON source: its name for Origin.File and how to open it.
type jsonMember struct {
	name string
	open func() (io.ReadCloser, error)
}

// fileMember is the member for the file at path, shown as name.
func fileMember(name, path string) jsonMember {
	return jsonMember{name: name, open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// docReader reads the documents of one open file. read returns the rows of the next document
// (possibly none, possibly a single error row), io.EOF after the last one, or an I/O error.
type docReader interface {
	read() ([]Row, error)
}

// jsonSource is the Source of JSON documents in one file or a folder of files.
type jsonSource struct {
	members []jsonMember
	next    int // index of the next member to open
	jsonl   bool
	explode []string

	cur     docReader // reader of the open member, nil between members
	closer  io.Closer // the open member's file
	pending []Row     // rows of the current document not yet returned
	err     error     // sticky: io.EOF, or an I/O error returned again by every later Next
}

var _ Source = (*jsonSource)(nil)

// newJSONSource returns a source reading members in order.
func newJSONSource(members []jsonMember, jsonl bool, explode []string) *jsonSource {
	return &jsonSource{members: members, jsonl: jsonl, explode: explode}
}

// Next returns the next row. It checks ctx before each row and each document.
func (s *jsonSource) Next(ctx context.Context) (Row, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		if len(s.pending) > 0 {
			row := s.pending[0]
			s.pending[0] = Row{}
			s.pending = s.pending[1:]
			return row, nil
		}
		if s.err != nil {
			return Row{}, s.err
		}
		if s.cur == nil {
			if s.next == len(s.members) {
				s.err = io.EOF
				continue
			}
			m := s.members[s.next]
			s.next++
			rc, err := m.open()
			if err != nil {
				s.err = fmt.Errorf("%s: %w", m.name, err)
				continue
			}
			s.closer = rc
			if s.jsonl {
				s.cur = newJSONLReader(m.name, rc, s.explode)
			} else {
				s.cur = newJSONFileReader(m.name, rc, s.explode)
			}
		}
		rows, err := s.cur.read()
		switch {
		case errors.Is(err, io.EOF):
			s.cur = nil
			if err := s.closeCurrent(); err != nil {
				s.err = fmt.Errorf("%s: %w", s.members[s.next-1].name, err)
			}
		case err != nil:
			s.err = fmt.Errorf("%s: %w", s.members[s.next-1].name, err)
			_ = s.closeCurrent()
		default:
			s.pending = rows
		}
	}
}

// Close closes the open file, if any. It is safe to call more than once.
func (s *jsonSource) Close() error {
	s.cur, s.pending = nil, nil
	if s.err == nil {
		s.err = errors.New("json source: Next after Close")
	}
	return s.closeCurrent()
}

func (s *jsonSource) closeCurrent() error {
	if s.closer == nil {
		return nil
	}
	err := s.closer.Close()
	s.closer = nil
	return err
}

// jsonlReader reads one document per line.
type jsonlReader struct {
	file    string
	br      *bufio.Reader
	line    int // physical line of the last line read
	explode []string
}

func newJSONLReader(file string, r io.Reader, explode []string) *jsonlReader {
	return &jsonlReader{file: file, br: bufio.NewReaderSize(r, jsonBufferSize), explode: explode}
}

func (r *jsonlReader) read() ([]Row, error) {
	for {
		b, err := r.br.ReadBytes('\n')
		if len(b) == 0 && err != nil {
			return nil, err // io.EOF at the end
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		r.line++
		if r.line == 1 {
			b = bytes.TrimPrefix(b, bomUTF8)
		}
		b = bytes.TrimSuffix(bytes.TrimSuffix(b, []byte("\n")), []byte("\r"))
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		o := Origin{File: r.file, Line: r.line}
		raw, msg := decodeLine(b)
		if msg != "" {
			return []Row{errorRow(o, nil, "%s", msg)}, nil
		}
		return documentRows(o, raw, r.explode), nil
	}
}

// decodeLine reads the one JSON value of a jsonl line. On a syntax error it returns the message
// naming the byte column.
func decodeLine(b []byte) ([]byte, string) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	err := dec.Decode(&raw)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// A fresh decoder's first value: Offset counts the bytes up to and including the fault.
		return nil, fmt.Sprintf("column %d: %s", se.Offset, se.Error())
	case err != nil:
		return nil, "unexpected end of line"
	}
	n := int(dec.InputOffset())
	if i := bytes.IndexFunc(b[n:], jsonNotSpace); i >= 0 {
		return nil, fmt.Sprintf("column %d: invalid character %s after top-level value", n+i+1, jsonQuoteChar(b[n+i]))
	}
	return raw, ""
}

// jsonBufferSize is the size of the read buffer of a JSON file.
const jsonBufferSize = 64 << 10

// errorRow is a row that carries only a problem: Columns and Values are nil.
func errorRow(o Origin, parent *Row, format string, args ...any) Row {
	return Row{Origin: o, Parent: parent, Err: &RowError{Origin: o, Index: -1, Msg: fmt.Sprintf(format, args...)}}
}

// jsonFileReader reads the documents of one json file: the elements of its top-level array, or
// its one value. Each element is decoded by a fresh json.Decoder, so that a syntax error's
// offset counts from the element's first byte; the bytes a decoder read ahead are handed on to
// the next one. It tracks the physical line and byte column of every byte it consumes.
type jsonFileReader struct {
	file    string
	explode []string
	br      *bufio.Reader
	ahead   []byte // read by the last decoder but not part of its value; read before br
	line    int    // 1-based line of the next unconsumed byte
	col     int    // 0-based byte column of the next unconsumed byte
	n       int    // documents started so far
	state   int
}

// States of a jsonFileReader.
const (
	jsonStart    = iota // before the top-level value
	jsonInArray         // inside the top-level array
	jsonTrailing        // after the top-level value: only white space may follow
	jsonDone
)

func newJSONFileReader(file string, r io.Reader, explode []string) *jsonFileReader {
	return &jsonFileReader{file: file, explode: explode, br: bufio.NewReaderSize(r, jsonBufferSize), line: 1}
}

func (r *jsonFileReader) read() ([]Row, error) {
	if r.state == jsonDone {
		return nil, io.EOF
	}
	if r.state == jsonStart {
		if b, err := r.br.Peek(len(bomUTF8)); err == nil && bytes.Equal(b, bomUTF8) {
			_, _ = r.br.Discard(len(bomUTF8))
		}
	}
	c, err := r.peek()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	eof := err != nil
	switch r.state {
	case jsonStart:
		if eof {
			return r.fail(1, "empty file: want a JSON object or an array of objects")
		}
		if c == '[' {
			r.consume()
			r.state = jsonInArray
			return nil, nil
		}
		r.state = jsonTrailing
		return r.document()
	case jsonInArray:
		if eof {
			return r.fail(r.n+1, "line %d: unexpected end of file: the array is not closed", r.lastLine())
		}
		if c == ']' {
			r.consume()
			r.state = jsonTrailing
			return nil, nil
		}
		if r.n > 0 {
			if c != ',' {
				return r.fail(r.n+1, "line %d, column %d: invalid character %s after array element", r.line, r.col+1, jsonQuoteChar(c))
			}
			r.consume()
			if _, err := r.peek(); errors.Is(err, io.EOF) {
				return r.fail(r.n+1, "line %d: unexpected end of file", r.lastLine())
			} else if err != nil {
				return nil, err
			}
		}
		return r.document()
	default: // jsonTrailing
		if eof {
			r.state = jsonDone
			return nil, io.EOF
		}
		return r.fail(r.n+1, "line %d, column %d: invalid character %s after top-level value", r.line, r.col+1, jsonQuoteChar(c))
	}
}

// document decodes the value that starts at the next byte (not white space) as the next
// document.
func (r *jsonFileReader) document() ([]Row, error) {
	r.n++
	ahead := bytes.NewReader(r.ahead)
	dec := json.NewDecoder(io.MultiReader(ahead, r.br))
	var raw json.RawMessage
	err := dec.Decode(&raw)
	// rest is what the decoder read but did not consume (on error: every byte it read), followed
	// by what it left unread of the bytes read ahead before.
	rest, _ := io.ReadAll(dec.Buffered())
	rest = append(rest, r.ahead[len(r.ahead)-ahead.Len():]...)
	var se *json.SyntaxError
	switch {
	case err == nil:
		// The value starts at the first byte read and ends where the decoder stopped.
		r.track(raw)
		r.ahead = rest
		return documentRows(Origin{File: r.file, Line: r.n}, raw, r.explode), nil
	case errors.As(err, &se):
		// A fresh decoder's first value: Offset counts the bytes up to and including the fault.
		r.track(rest[:min(max(se.Offset-1, 0), int64(len(rest)))])
		return r.fail(r.n, "line %d, column %d: %s", r.line, r.col+1, se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		r.track(rest)
		return r.fail(r.n, "line %d: unexpected end of file", r.lastLine())
	default:
		return nil, err
	}
}

// fail ends the file with an error row for document line.
func (r *jsonFileReader) fail(line int, format string, args ...any) ([]Row, error) {
	r.state, r.ahead = jsonDone, nil
	return []Row{errorRow(Origin{File: r.file, Line: line}, nil, format, args...)}, nil
}

// peek skips white space and returns the next byte without consuming it.
func (r *jsonFileReader) peek() (byte, error) {
	for {
		var c byte
		if len(r.ahead) > 0 {
			c = r.ahead[0]
		} else {
			b, err := r.br.Peek(1)
			if err != nil {
				return 0, err
			}
			c = b[0]
		}
		if !jsonSpace(c) {
			return c, nil
		}
		r.consume()
	}
}

// consume consumes the byte peek returned.
func (r *jsonFileReader) consume() {
	var c byte
	if len(r.ahead) > 0 {
		c, r.ahead = r.ahead[0], r.ahead[1:]
	} else {
		c, _ = r.br.ReadByte()
	}
	r.track([]byte{c})
}

// track advances the position over consumed bytes.
func (r *jsonFileReader) track(b []byte) {
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		r.line += bytes.Count(b, []byte("\n"))
		r.col = len(b) - i - 1
	} else {
		r.col += len(b)
	}
}

// lastLine is the line of the last byte consumed, for messages at the end of the file.
func (r *jsonFileReader) lastLine() int {
	if r.col == 0 && r.line > 1 {
		return r.line - 1
	}
	return r.line
}

// isSpace reports whether c is JSON white space.
func jsonSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func jsonNotSpace(c rune) bool { return c > 0xff || !jsonSpace(byte(c)) }

// quoteChar formats c as encoding/json's messages do: 'x'.
func jsonQuoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string([]byte{c}))
	return "'" + s[1:len(s)-1] + "'"
}
