package targets

import (
	"bytes"
	"html"
	"unicode"
	"unicode/utf8"
)

// snippetRunes is the most characters of a body Snippet shows.
const snippetRunes = 200

// snippetLook is how much of a body Snippet looks at, so that it is cheap for a body of any size.
const snippetLook = 8 << 10

// Snippet describes an answer body in one short line, for messages that must say what came back:
//
//   - "(empty body)" for a body that is empty or white space only;
//   - `an HTML page titled "502 Bad Gateway"` for an HTML page with a title (the page a proxy,
//     a gateway or a login screen puts where the API should have answered);
//   - otherwise the start of the body, trimmed, each run of white space (line breaks included)
//     made one space, control characters and bytes that are not UTF-8 shown as U+FFFD, and cut
//     after 200 characters with "…".
//
// The result is valid UTF-8, has no line breaks and is at most about 220 characters long.
func Snippet(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "(empty body)"
	}
	head, cut := b, false
	if len(head) > snippetLook {
		head, cut = head[:snippetLook], true
	}
	if title := htmlTitle(head); title != "" {
		return `an HTML page titled "` + title + `"`
	}
	return oneLine(head, snippetRunes, cut)
}

// oneLine renders b as one line of at most n characters, as Snippet describes; more says that
// text follows b, so that the result ends with "…" even when b itself fits.
func oneLine(b []byte, n int, more bool) string {
	out := make([]rune, 0, min(len(b), n)+1)
	space := false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case unicode.IsSpace(r):
			space = len(out) > 0
			continue
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			r = utf8.RuneError // U+FFFD; Cf: invisible format characters such as bidi overrides
		}
		need := 1
		if space {
			need = 2
		}
		if len(out)+need > n {
			more = true
			break
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, r)
	}
	if more {
		out = append(out, '…')
	}
	return string(out)
}

// htmlTitle returns the title of an HTML page, one line of at most 100 characters, or "" when b
// is not an HTML page (it must start with '<' and hold "<html" or a doctype) or has no title.
func htmlTitle(b []byte) string {
	if b[0] != '<' {
		return ""
	}
	low := asciiLower(b)
	if !bytes.Contains(low, []byte("<html")) && !bytes.HasPrefix(low, []byte("<!doctype html")) {
		return ""
	}
	i := bytes.Index(low, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(low[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	k := bytes.Index(low[start:], []byte("</title"))
	if k < 0 {
		return ""
	}
	title := html.UnescapeString(string(b[start : start+k]))
	return oneLine([]byte(title), 100, false)
}

// asciiLower returns a copy of b with ASCII letters in lower case: byte offsets stay the same.
func asciiLower(b []byte) []byte {
	low := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return low
}
