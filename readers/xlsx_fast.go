package readers

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"
)

// The fast scanner reads the rows of sheetData from the buffer in place, without encoding/xml.
// It knows the small vocabulary a sheet's rows are written in: elements without a namespace
// prefix, attributes quoted either way in any order (a prefix on an attribute is dropped, as the
// strict decoder's local names do), white space anywhere the XML allows it, text in UTF-8 with
// the five predefined entities and character references. Everything else, and everything that
// is not well formed, it does not guess at: a comment, CDATA section or processing instruction,
// a prefixed element, a namespace declaration, a carriage return, a control character, a name or
// reference it does not know, a mismatched or missing end tag, XML that breaks off, a row or
// cell reference the sheet cannot have. There it falls back (errFallback): the sheet's XML is
// read again from its start by the strict decoder, which passes over the rows already handed on
// and reads the rest, so that what is read and every error (with its line and column) are the
// strict decoder's.

// errFallback says that the fast scanner met what it does not read.
var errFallback = errors.New("the fast scanner falls back to the strict decoder")

// fastTag is one tag: its name, whether it is an end tag or empty-element tag, and the value of
// the attributes r, s and t by their local names (the last of each, as readCell takes them; row
// elements have no duplicates, which fall back).
type fastTag struct {
	name       []byte
	end, empty bool
	r, s, t    []byte
	hasR       bool
}

// fastText consumes the text up to the next '<', checks it and, when dst is not nil, appends it
// with its references resolved.
func (x *sheetRows) fastText(dst *[]byte) error {
	b := x.in
	for off := 0; ; {
		i := bytes.IndexByte(b.buf[b.pos+off:b.end], '<')
		if i < 0 {
			off = b.end - b.pos
			if !b.fill() {
				return errFallback // the XML breaks off, or an error: the strict decoder says which
			}
			continue
		}
		text := b.buf[b.pos : b.pos+off+i]
		b.pos += off + i
		return appendText(dst, text)
	}
}

// appendText checks text and appends it to *dst (when dst is not nil) with its references resolved.
func appendText(dst *[]byte, text []byte) error {
	plain := true
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c >= 0x80:
			r, n := utf8.DecodeRune(text[i:])
			if r == utf8.RuneError && n == 1 || !xmlChar(r) {
				return errFallback
			}
			i += n
			continue
		case c == '&':
			plain = false
		case c < 0x20 && c != '\t' && c != '\n':
			return errFallback
		case c == '>' && i >= 2 && text[i-1] == ']' && text[i-2] == ']':
			return errFallback
		}
		i++
	}
	switch {
	case plain && dst != nil:
		*dst = append(*dst, text...)
		return nil
	case plain:
		return nil
	}
	for len(text) > 0 { // the references are checked whether the text is kept or not
		amp := bytes.IndexByte(text, '&')
		if amp < 0 {
			if dst != nil {
				*dst = append(*dst, text...)
			}
			return nil
		}
		semi := bytes.IndexByte(text[amp:], ';')
		if semi < 0 || semi > 12 {
			return errFallback
		}
		r, ok := entity(text[amp+1 : amp+semi])
		if !ok {
			return errFallback
		}
		if dst != nil {
			*dst = utf8.AppendRune(append(*dst, text[:amp]...), r)
		}
		text = text[amp+semi+1:]
	}
	return nil
}

// entity resolves the reference between '&' and ';': a predefined entity or a character
// reference to a character XML allows.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !xmlChar(rune(n)) || n == '\r' {
		return 0, false
	}
	return rune(n), true
}

// xmlChar reports whether XML allows the character r.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// fastTag consumes the tag at the buffer's '<' (fastText stops there) and parses it. The tag's
// slices are valid until the buffer is read on.
func (x *sheetRows) fastTag() (fastTag, error) {
	b := x.in
	end := -1
	for end < 0 {
		var quote byte
		for i, c := range b.buf[b.pos+1 : b.end] {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				end = b.pos + 1 + i
			}
			if end >= 0 {
				break
			}
		}
		if end < 0 && !b.fill() {
			return fastTag{}, errFallback
		}
	}
	tag := b.buf[b.pos+1 : end]
	b.pos = end + 1
	return parseTag(tag)
}

// parseTag parses a tag without its '<' and '>'.
func parseTag(tag []byte) (fastTag, error) {
	var t fastTag
	if len(tag) > 0 && tag[0] == '/' {
		t.end, tag = true, tag[1:]
	}
	n := nameLen(tag, false)
	if n == 0 {
		return t, errFallback // a comment, CDATA, a processing instruction, a prefixed name ...
	}
	t.name, tag = tag[:n], tag[n:]
	if t.end {
		if len(trimSpace(tag)) > 0 {
			return t, errFallback
		}
		return t, nil
	}
	if len(tag) > 0 && tag[len(tag)-1] == '/' {
		t.empty, tag = true, tag[:len(tag)-1]
	}
	var seen [8][]byte
	for attrs := 0; ; attrs++ {
		rest := trimSpace(tag)
		if len(rest) == 0 {
			return t, nil
		}
		if len(rest) == len(tag) || attrs == len(seen) {
			return t, errFallback // no space before the attribute, or many attributes
		}
		k := nameLen(rest, true)
		if k == 0 {
			return t, errFallback
		}
		key := rest[:k]
		for _, s := range seen[:attrs] {
			if bytes.Equal(s, key) {
				return t, errFallback
			}
		}
		seen[attrs] = key
		rest = trimSpace(rest[k:])
		if len(rest) == 0 || rest[0] != '=' {
			return t, errFallback
		}
		rest = trimSpace(rest[1:])
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return t, errFallback
		}
		q := bytes.IndexByte(rest[1:], rest[0])
		if q < 0 {
			return t, errFallback
		}
		value := rest[1 : 1+q]
		for _, c := range value {
			if c < 0x20 || c >= 0x7f || c == '<' || c == '&' {
				return t, errFallback
			}
		}
		tag = rest[2+q:]
		if i := bytes.IndexByte(key, ':'); i >= 0 {
			if bytes.Equal(key[:i], []byte("xmlns")) {
				return t, errFallback
			}
			key = key[i+1:]
		} else if bytes.Equal(key, []byte("xmlns")) {
			return t, errFallback
		}
		switch string(key) {
		case "r":
			t.r, t.hasR = value, true
		case "s":
			t.s = value
		case "t":
			t.t = value
		}
	}
}

// nameLen is the length of the XML name at the start of b, 0 when b starts with none the fast
// scanner reads: ASCII letters, digits, '_', '-' and '.', starting with a letter or '_'; with
// one inner ':' when prefixed allows it.
func nameLen(b []byte, prefixed bool) int {
	colon := false
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_':
		case '0' <= c && c <= '9' || c == '-' || c == '.':
			if i == 0 || colon && b[i-1] == ':' {
				return 0
			}
		case c == ':' && prefixed && !colon && i > 0:
			colon = true
		case isSpace(c) || c == '/' || c == '=':
			if i > 0 && b[i-1] == ':' {
				return 0
			}
			return i
		default:
			return 0
		}
	}
	if len(b) > 0 && b[len(b)-1] == ':' {
		return 0
	}
	return len(b)
}
