package readers

import (
	"bytes"
	"io"
	"strconv"
)

// handoff reports whether the fast scanner can read on from where the strict decoder stopped:
// just after the start tag of sheetData (unprefixed, not empty), read from the buffer in the
// sheet's own bytes (not through another encoding).
func (x *sheetRows) handoff() bool {
	b := x.in
	if x.reopen == nil || x.noFast || x.dec.InputOffset() != b.consumed() {
		return false
	}
	lt := bytes.LastIndexByte(b.buf[:b.pos], '<')
	if lt < 0 {
		return false
	}
	tag := b.buf[lt+1 : b.pos-1] // the tag, without '<' and '>'
	t, err := parseTag(tag)
	return b.buf[b.pos-1] == '>' && err == nil && !t.end && !t.empty && string(t.name) == "sheetData"
}

// replay falls back to the strict decoder: it reads the sheet's XML again from its start and
// passes over the rows already handed on.
func (x *sheetRows) replay() error {
	r, err := x.reopen()
	if err != nil {
		return err
	}
	skip := x.rowsDone
	*x = sheetRows{sst: x.sst, styles: x.styles, charset: x.charset, noFast: true, skip: skip}
	x.in = newSheetBuf(r)
	x.dec = newDecoder(x.in, x.charset)
	return nil
}

// fastNext is next for the fast scanner, inside sheetData.
func (x *sheetRows) fastNext() (sheetRow, error) {
	for {
		if err := x.fastText(nil); err != nil {
			return sheetRow{}, err
		}
		t, err := x.fastTag()
		switch {
		case err != nil:
			return sheetRow{}, err
		case t.end && string(t.name) == "sheetData":
			x.ended = true
			return sheetRow{}, io.EOF
		case !t.end && string(t.name) == "row":
			return x.fastRow(t)
		}
		return sheetRow{}, errFallback
	}
}

// fastRow is readRow for the fast scanner.
func (x *sheetRows) fastRow(t fastTag) (sheetRow, error) {
	n := x.row + 1
	if t.hasR && len(t.r) > 0 {
		if k, err := strconv.Atoi(string(t.r)); err == nil && k != 0 {
			n = k
		}
	}
	if n > maxSheetRows || n < 0 {
		return sheetRow{}, errFallback
	}
	x.row, x.col = n, 0
	r := sheetRow{line: n}
	for !t.empty {
		if err := x.fastText(nil); err != nil {
			return sheetRow{}, err
		}
		c, err := x.fastTag()
		switch {
		case err != nil:
			return sheetRow{}, err
		case c.end && string(c.name) == "row":
			t.empty = true
		case c.end:
			return sheetRow{}, errFallback
		case string(c.name) == "c":
			if err := x.fastCell(c, &r); err != nil {
				return sheetRow{}, err
			}
		default:
			if err := x.fastSkip(c); err != nil {
				return sheetRow{}, err
			}
		}
	}
	x.rowsDone++
	return r, nil
}

// fastCell is readCell for the fast scanner.
func (x *sheetRows) fastCell(t fastTag, r *sheetRow) error {
	col := x.col + 1
	if t.hasR {
		c, ok := cellColumn(string(t.r), r.line)
		if !ok {
			return errFallback
		}
		col = c
	}
	if col > maxSheetColumns {
		return errFallback
	}
	typ, style := string(t.t), 0
	if t.s != nil {
		style = styleIndex(string(t.s))
	}
	x.col = col
	v, inline := x.v[:0], x.inline[:0]
	hasV := false
	for !t.empty {
		if err := x.fastText(nil); err != nil {
			return err
		}
		c, err := x.fastTag()
		switch {
		case err != nil:
			return err
		case c.end && string(c.name) == "c":
			t.empty = true
		case c.end:
			return errFallback
		case string(c.name) == "v":
			hasV = true
			err = x.fastValue("v", c.empty, &v)
		case string(c.name) == "is":
			err = x.fastInline(c, &inline)
		default: // a formula, extensions
			err = x.fastSkip(c)
		}
		if err != nil {
			return err
		}
	}
	x.v, x.inline = v, inline
	if typ == "s" && hasV {
		if i, ok := sstIndex(v); ok && i < len(x.sst) {
			for len(r.values) < col {
				r.values = append(r.values, "")
				r.kinds = append(r.kinds, KindText)
			}
			r.values[col-1], r.kinds[col-1] = x.sst[i], KindText
			return nil
		}
	}
	return x.setCell(r, col, typ, style, string(v), hasV, string(inline))
}

// sstIndex reads a shared string's index written as plain digits.
func sstIndex(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// fastValue appends the text of the element name (v or t) to dst, whose start tag was read (an
// empty-element tag when empty); an element inside it falls back.
func (x *sheetRows) fastValue(name string, empty bool, dst *[]byte) error {
	if empty {
		return nil
	}
	if err := x.fastText(dst); err != nil {
		return err
	}
	e, err := x.fastTag()
	if err != nil || !e.end || string(e.name) != name {
		return errFallback
	}
	return nil
}

// fastInline appends the text of the inline string t opens to dst: its t elements and those of
// its runs (r), as readCell takes them.
func (x *sheetRows) fastInline(t fastTag, dst *[]byte) error {
	for depth := 0; !t.empty; {
		if err := x.fastText(nil); err != nil {
			return err
		}
		c, err := x.fastTag()
		switch {
		case err != nil:
			return err
		case c.end && depth == 1 && string(c.name) == "r":
			depth = 0
		case c.end && depth == 0 && string(c.name) == "is":
			t.empty = true
		case c.end:
			return errFallback
		case string(c.name) == "t":
			err = x.fastValue("t", c.empty, dst)
		case depth == 0 && string(c.name) == "r" && !c.empty:
			depth = 1
		default: // run properties, phonetic runs
			err = x.fastSkip(c)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fastSkip passes over the element t opens, checking that its tags match.
func (x *sheetRows) fastSkip(t fastTag) error {
	if t.empty {
		return nil
	}
	open := [][]byte{bytes.Clone(t.name)}
	for len(open) > 0 {
		if err := x.fastText(nil); err != nil {
			return err
		}
		c, err := x.fastTag()
		switch {
		case err != nil:
			return err
		case c.end:
			if !bytes.Equal(c.name, open[len(open)-1]) {
				return errFallback
			}
			open = open[:len(open)-1]
		case !c.empty:
			open = append(open, bytes.Clone(c.name))
		}
	}
	return nil
}
