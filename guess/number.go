package guess

import "strings"

// locale is one way of writing numbers as text: a decimal separator and at most one thousands
// separator. The zero value is not a locale; use locales.
type locale struct {
	decimal   byte // '.' or ','
	thousands byte // 0, ',', '.', ' ' or '\''
}

// locales are the number locales init can recognise, in order of preference when several fit
// the same values equally well: no thousands separator before one, the point before the comma.
var locales = []locale{
	{'.', 0}, {',', 0}, {'.', ','}, {',', ' '}, {',', '.'}, {'.', ' '}, {'.', '\''},
}

// numberShape is how a text value reads as a number in one locale.
type numberShape uint8

const (
	notNumber numberShape = iota
	wholeNumber
	fractionNumber
)

// parse says whether s (trimmed) is a number written in l, and whether it has a fraction part.
// A thousands separator must separate groups of three digits ("1 234 567", never "12 34"); a
// leading zero ("007", "0150") is read as a code, not a number; exponents are not accepted, so
// "1E5" (a code as often as a number) stays text.
func (l locale) parse(s string) numberShape {
	if s == "" {
		return notNumber
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, l.decimal); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || !allDigits(frac) {
			return notNumber
		}
	}
	if intPart == "" {
		return notNumber
	}
	if l.thousands != 0 && strings.IndexByte(intPart, l.thousands) >= 0 {
		groups := strings.Split(intPart, string(l.thousands))
		if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) || groups[0][0] == '0' {
			return notNumber
		}
		for _, g := range groups[1:] {
			if len(g) != 3 || !allDigits(g) {
				return notNumber
			}
		}
	} else if !allDigits(intPart) || len(intPart) > 1 && intPart[0] == '0' {
		return notNumber
	}
	if frac != "" {
		return fractionNumber
	}
	return wholeNumber
}

// String renders the locale as the typing keys it needs, for comments: `decimal ",", thousands " "`.
func (l locale) String() string {
	s := `decimal "` + string(l.decimal) + `"`
	if l.thousands != 0 {
		s += `, thousands "` + string(l.thousands) + `"`
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
