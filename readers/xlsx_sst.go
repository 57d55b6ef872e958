package readers

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// readSharedStrings decodes the shared strings table r strictly and keeps each string as plain
// text: a rich-text string as its runs' text joined, without its phonetic runs (rPh), and with
// the _xHHHH_ escapes of OOXML resolved (see unescapeXString). The error is that of reading r (a
// *partError), not of its XML, which is the fault of the result.
func readSharedStrings(r io.Reader, part string, charset func(string, io.Reader) (io.Reader, error)) (sharedStrings, error) {
	dec := newDecoder(r, charset)
	sst := sharedStrings{part: part}
	var text strings.Builder
	depth, skipAt, inT := 0, 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return sst, nil
		}
		var pe *partError
		if errors.As(err, &pe) {
			return sst, pe
		}
		if err != nil {
			sst.fault = fault(dec, err)
			return sst, nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case skipAt > 0:
			case depth == 2 && t.Name.Local == "si":
				text.Reset()
			case t.Name.Local == "rPh":
				skipAt = depth
			case t.Name.Local == "t" && (depth == 3 || depth == 4):
				inT = true
			}
		case xml.CharData:
			if inT && skipAt == 0 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case skipAt == depth:
				skipAt = 0
			case t.Name.Local == "t":
				inT = false
			case depth == 2 && t.Name.Local == "si":
				sst.texts = append(sst.texts, unescapeXString(text.String()))
				sst.count++
			}
			depth--
		}
	}
}

// unescapeXString resolves the escapes OOXML writes for characters XML cannot hold: _x000D_ is
// a carriage return, _x005F_ a literal underscore (so that "_x005F_x000D_" is the text
// "_x000D_").
func unescapeXString(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
