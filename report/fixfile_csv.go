package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
)

// csvFix writes a CSV fix file framed as its source is (readers.CSVFraming): the same byte order
// mark, encoding, delimiter and line breaks, the lines above the header, and each kept record's
// text as it stands in the source, the fix columns (fixColumns) added before its line break. So
// a spreadsheet opens the fix file as it opened the source and the same spec reads it.
//
// A record is written anew from its values, in the source's framing (encoding/csv's quoting, the
// header's line break), only where its text cannot be kept: a cell that needs the neutraliser
// (see writeFixFiles), a record the reader could not parse, one with fewer fields than the
// header, and a source that is itself a fix file (its fix columns are replaced, its origin kept).
type csvFix struct {
	f   *os.File
	buf *bufio.Writer
	enc io.WriteCloser // the encoder, over buf; nil when the text is written as UTF-8
	out io.Writer      // enc or buf
	in  readers.CSVRaw
	fr  readers.CSVFraming
	// declared holds the column names the source's schema declares: kept exact in the header.
	declared map[string]bool
	// charmap is the source's single-byte encoding; nil for UTF-8 and UTF-16.
	charmap *charmap.Charmap
	// columns are the source's columns; fc where its own fix columns are (a fix file as source).
	columns []string
	fc      fixCols
}

func newCSVFix(path string, in readers.Source, rs *schemas.RowSchema) (*csvFix, error) {
	raw, ok := in.(readers.CSVRaw)
	if !ok {
		return nil, errors.New("the CSV reader does not give the file's framing")
	}
	fr := raw.Framing()
	var enc encoding.Encoding
	var cm *charmap.Charmap
	switch fr.Encoding {
	case "windows-1252":
		cm = charmap.Windows1252
	case "iso-8859-1":
		cm = charmap.ISO8859_1
	case "utf-16le":
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case "utf-16be":
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	if cm != nil {
		enc = cm
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c := &csvFix{f: f, buf: bufio.NewWriter(f), in: raw, fr: fr, declared: map[string]bool{}, charmap: cm}
	c.out = c.buf
	if _, err := c.buf.Write(fr.BOM); err != nil {
		f.Close()
		return nil, err
	}
	if enc != nil {
		c.enc = transform.NewWriter(c.buf, enc.NewEncoder())
		c.out = c.enc
	}
	for _, col := range rs.Columns() {
		c.declared[col.Name] = true
	}
	return c, nil
}

func (c *csvFix) header(first readers.Row) error {
	columns := first.Columns
	c.columns, c.fc = columns, newFixCols(columns)
	if _, err := c.out.Write(c.fr.Preamble); err != nil {
		return err
	}
	neutralise := false
	rec := make([]string, 0, len(columns)+len(fixColumns))
	for i, name := range columns {
		if !c.declared[name] {
			neutralise = neutralise || CellSafe(name) != name
			name = CellSafe(name)
		}
		if !c.fc.at[i] {
			rec = append(rec, name)
		}
	}
	if c.fr.Header != nil && !neutralise && !c.fc.any() {
		return c.keep(c.fr.Header, fixColumns)
	}
	return c.rewrite(append(rec, fixColumns...))
}

func (c *csvFix) row(r readers.Row, errs string) error {
	origin := c.fc.originOf(r)
	rec := make([]string, 0, len(c.columns)+len(fixColumns))
	neutralised := false
	for i, v := range r.Values {
		if c.fc.at[i] {
			continue
		}
		s := fmt.Sprint(v)
		if safe := CellSafe(s); safe != s {
			column := ""
			if i < len(r.Columns) {
				column = r.Columns[i]
			}
			if errs != "" {
				errs += "\n"
			}
			errs += r.Origin.Cell(column, i) + ": " + neutraliserNote
			s, neutralised = safe, true
		}
		rec = append(rec, s)
	}
	fix := []string{c.fit(CellSafe(errs)), CellSafe(origin)}
	if raw := c.in.RawRecord(); raw != nil && !neutralised && !c.fc.any() && len(r.Values) >= len(c.columns) {
		return c.keep(raw, fix)
	}
	for len(rec) < len(c.columns)-len(c.fc.at) {
		rec = append(rec, "") // a short record: the fix columns under their names
	}
	return c.rewrite(append(rec, fix...))
}

// keep writes a record's text as it stands in the source, with the cells of fix added before its
// line break.
func (c *csvFix) keep(raw []byte, fix []string) error {
	body, end := raw, ""
	for _, e := range []string{"\r\n", "\n"} {
		if bytes.HasSuffix(raw, []byte(e)) {
			body, end = raw[:len(raw)-len(e)], e
			break
		}
	}
	var b strings.Builder
	b.Write(body)
	for _, f := range fix {
		b.WriteRune(c.fr.Delimiter)
		b.WriteString(c.quote(f))
	}
	b.WriteString(end)
	_, err := io.WriteString(c.out, b.String())
	return err
}

// rewrite writes rec anew in the source's framing, ending with the header's line break.
func (c *csvFix) rewrite(rec []string) error {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = c.fr.Delimiter
	w.UseCRLF = c.fr.LineEnding == "\r\n"
	if err := w.Write(rec); err != nil {
		return err
	}
	w.Flush()
	_, err := io.WriteString(c.out, b.String())
	return err
}

// quote renders one cell as encoding/csv would: quoted when it holds the delimiter, a quote, a
// line break or starts with a space.
func (c *csvFix) quote(s string) string {
	if s == "" || !(strings.ContainsRune(s, c.fr.Delimiter) || strings.ContainsAny(s, "\"\r\n") || s[0] == ' ' || s[0] == '\t') {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// fit replaces, in a fix file with a single-byte encoding, each character the encoding cannot
// hold with '?'. Only messages need it (a target's answer may hold any character, and the
// encoder fails on one it cannot write); the source's own values came from that encoding.
func (c *csvFix) fit(s string) string {
	if c.charmap == nil {
		return s
	}
	return strings.Map(func(r rune) rune {
		if _, ok := c.charmap.EncodeRune(r); !ok {
			return '?'
		}
		return r
	}, s)
}

// neutraliserNote is the message a CSV fix file adds for each cell it neutralised.
const neutraliserNote = "' added in front so that a spreadsheet shows the value as text and does not run it; delete it before running this file as the source"

func (c *csvFix) close() error {
	var err error
	if c.enc != nil {
		err = c.enc.Close()
	}
	return errors.Join(err, c.buf.Flush(), c.f.Close())
}
