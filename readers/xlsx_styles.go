package readers

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// numberKinds says, for each cell style (the s attribute of a cell, an index into the styles'
// cellXfs), what a number cell of that style is: KindNumber, KindDate or KindDateTime. A style
// beyond the table is KindNumber, as Excel shows such a cell with the General format.
type numberKinds []CellKind

func (k numberKinds) of(style int) CellKind {
	if style < 0 || style >= len(k) {
		return KindNumber
	}
	return k[style]
}

// stylesXML is the part of the styles that says which number format each cell style uses.
type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// readNumberKinds decodes the styles part r.
func readNumberKinds(r io.Reader, charset func(string, io.Reader) (io.Reader, error)) (numberKinds, error) {
	var st stylesXML
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charset
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("malformed styles: %w", err)
	}
	codes := make(map[int]string, len(st.NumFmts))
	for _, f := range st.NumFmts {
		codes[f.ID] = f.Code
	}
	kinds := make(numberKinds, len(st.CellXfs))
	for i, xf := range st.CellXfs {
		code, custom := codes[xf.NumFmtID]
		switch {
		case custom:
			kinds[i] = formatKind(code)
		default:
			kinds[i] = builtinFormatKind(xf.NumFmtID)
		}
	}
	return kinds, nil
}

// builtinFormatKind is the kind of the built-in number formats: 14 to 17 dates (m/d/yyyy,
// d-mmm-yy, d-mmm, mmm-yy), 18 to 22 and 45, 47 times or date-times (h:mm AM/PM ... m/d/yyyy
// h:mm, mm:ss, mmss.0), and 27 to 36 and 50 to 58, the dates of East Asian editions. 46
// ([h]:mm:ss) is a duration, not a date: a number.
func builtinFormatKind(id int) CellKind {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
		return KindDate
	case id >= 18 && id <= 22, id == 32, id == 33, id == 45, id == 47:
		return KindDateTime
	}
	return KindNumber
}

// formatKind reads a custom number format code: a date when its first section shows a year,
// month or day, a date-time when it shows hours or seconds, a number otherwise (General, 0.00,
// text formats, and durations such as [h]:mm). Quoted text, escaped characters (\d), fill and
// padding characters (*x, _x) and bracketed colours, conditions and locales are not read as
// date parts.
func formatKind(code string) CellKind {
	section, _, _ := strings.Cut(unquoteFormat(code), ";")
	lower := strings.ToLower(section)
	if strings.Contains(lower, "[h") || strings.Contains(lower, "[m") || strings.Contains(lower, "[s") {
		return KindNumber // elapsed time
	}
	lower = strings.NewReplacer("am/pm", "", "a/p", "", "general", "", "e+", "", "e-", "").Replace(lower) // not 0.00E+00
	lower = stripBrackets(lower)
	switch {
	case strings.ContainsAny(lower, "hs"):
		return KindDateTime
	case strings.ContainsAny(lower, "ymde"):
		return KindDate
	}
	return KindNumber
}

// unquoteFormat removes the literal parts of a format code: "quoted text", \x escapes, and the
// fill (*x) and padding (_x) characters.
func unquoteFormat(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			end := strings.IndexByte(code[i+1:], '"')
			if end < 0 {
				return b.String()
			}
			i += end + 1
		case '\\', '*', '_':
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// stripBrackets removes [...] sections (colours, conditions, locales such as [$-409]).
func stripBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '[':
			depth++
		case c == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// styleIndex reads a cell's s attribute; a missing or unreadable one is style 0.
func styleIndex(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
