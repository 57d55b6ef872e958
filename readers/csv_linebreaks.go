package readers

import (
	"bytes"
	"strings"
)

// keepLineBreaks makes the line breaks inside the quoted fields of rec what they are in raw, the
// record as it stands in the input (with the empty lines before it, which encoding/csv skips).
// encoding/csv reads every CRLF that ends a line as LF, inside quoted fields too, so a note
// written on Windows as "line one\r\nline two" would come out as "line one\nline two".
//
// Every line break of raw but the record's own last one lies inside a quoted field, or before the
// record (an empty line), and encoding/csv gives one LF in the fields for each inside: so the LFs
// of the fields, in order, are the last line breaks of raw before its end. The common records
// cost two byte scans: one without a CR at all, one without a line break inside.
func keepLineBreaks(rec []string, raw []byte) {
	if bytes.IndexByte(raw, '\r') < 0 {
		return
	}
	body := bytes.TrimSuffix(raw, []byte{'\n'})
	if bytes.IndexByte(body, '\n') < 0 {
		return
	}
	var crlf []bool // for each line break of body, in order: is it CRLF?
	for i, c := range body {
		if c == '\n' {
			crlf = append(crlf, i > 0 && body[i-1] == '\r')
		}
	}
	inside := 0
	for _, f := range rec {
		inside += strings.Count(f, "\n")
	}
	if inside == 0 || inside > len(crlf) {
		return
	}
	crlf = crlf[len(crlf)-inside:]
	for i, f := range rec {
		if !strings.Contains(f, "\n") {
			continue
		}
		var b strings.Builder
		b.Grow(len(f) + strings.Count(f, "\n"))
		for {
			j := strings.IndexByte(f, '\n')
			if j < 0 {
				b.WriteString(f)
				break
			}
			b.WriteString(f[:j])
			if crlf[0] {
				b.WriteByte('\r')
			}
			b.WriteByte('\n')
			crlf, f = crlf[1:], f[j+1:]
		}
		rec[i] = b.String()
	}
}
