package transforms

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// numberFormat is how a source writes numbers as text: its decimal separator and the grouping
// separators it may put between groups of three digits.
type numberFormat struct {
	decimal   rune
	thousands map[rune]bool
}

// Spaces that count as a space when it is a thousands separator.
const (
	noBreakSpace       = '\u00a0'
	narrowNoBreakSpace = '\u202f'
)

// newNumberFormat checks and prepares the typing's number options.
func newNumberFormat(decimal, thousands string) (numberFormat, error) {
	f := numberFormat{decimal: '.', thousands: map[rune]bool{}}
	switch decimal {
	case "", ".":
	case ",":
		f.decimal = ','
	default:
		return f, fmt.Errorf("the decimal separator must be %q or %q, not %q", ".", ",", decimal)
	}
	for _, r := range thousands {
		switch {
		case r == f.decimal:
			return f, fmt.Errorf("the decimal separator %q is also a thousands separator", string(r))
		case r >= '0' && r <= '9', r == '-', r == '+', r == 'e', r == 'E', r == utf8.RuneError:
			return f, fmt.Errorf("%q cannot be a thousands separator", string(r))
		case r == ' ' || r == noBreakSpace || r == narrowNoBreakSpace:
			f.thousands[' '], f.thousands[noBreakSpace], f.thousands[narrowNoBreakSpace] = true, true, true
		default:
			f.thousands[r] = true
		}
	}
	return f, nil
}

// canonical rewrites a number written in this format as Go and JSON write it ("-1234.5e3"), or
// reports that it is not one. Thousands separators must separate groups of three digits in the
// integer part ("1 234 567", not "12 34").
func (f numberFormat) canonical(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	rest := s
	if r, n := utf8.DecodeRuneInString(rest); r == '-' || r == '+' || r == '\u2212' {
		if r != '+' {
			b.WriteByte('-')
		}
		rest = rest[n:]
	}
	const (
		inInteger = iota
		inFraction
		inExponent
	)
	state, group, groups, digits, expDigits := inInteger, 0, 0, 0, 0
	afterE := false // the previous rune was the exponent's e
	for _, r := range rest {
		wasE := afterE
		afterE = false
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			switch state {
			case inExponent:
				expDigits++
			case inInteger:
				digits++
				group++
			default:
				digits++
			}
		case state == inInteger && f.thousands[r]:
			if (groups == 0 && (group == 0 || group > 3)) || (groups > 0 && group != 3) {
				return "", false
			}
			groups, group = groups+1, 0
		case state == inInteger && r == f.decimal:
			state = inFraction
			b.WriteByte('.')
		case state != inExponent && (r == 'e' || r == 'E') && digits > 0:
			state, afterE = inExponent, true
			b.WriteByte('e')
		case wasE && (r == '-' || r == '+'):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if digits == 0 || (groups > 0 && group != 3) || (state == inExponent && expDigits == 0) {
		return "", false
	}
	return b.String(), true
}

// hint explains, in parentheses, what a number of this format looks like; it singles out a comma
// when the decimal separator is "." and the comma is no thousands separator.
func (f numberFormat) hint(s string) string {
	if f.decimal == '.' && !f.thousands[','] && strings.ContainsRune(s, ',') {
		return `(decimal separator "."; a "," is ambiguous)`
	}
	return fmt.Sprintf("(decimal separator %q)", string(f.decimal))
}

// isPlainNumber reports whether s is a number as a spreadsheet stores it: -?digits(.digits)?
// with an optional exponent.
func isPlainNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

var (
	errNotInteger     = errors.New("is not an integer")
	errIntegerRange   = errors.New("is out of range for an integer")
	errNumberRange    = errors.New("is out of range for a number")
	errNotPlainNumber = errors.New("is not a number")
)

// maxIntegerDigits is the number of digits beyond which no int64 fits.
const maxIntegerDigits = 20

// integerOf converts a canonical number ("-3.000", "12e2") exactly: it is an integer when every
// digit after the decimal point (once the exponent has moved it) is zero, and fits in an int64.
func integerOf(canon string) (int64, error) {
	mant, exp := canon, 0
	if i := strings.IndexAny(canon, "eE"); i >= 0 {
		mant = canon[:i]
		e, err := strconv.Atoi(canon[i+1:])
		if err != nil {
			switch {
			case strings.Trim(mant, "-+0.") == "":
				return 0, nil // zero with an absurd exponent
			case strings.HasPrefix(canon[i+1:], "-"):
				return 0, errNotInteger
			}
			return 0, errIntegerRange
		}
		exp = max(-1_000_000, min(e, 1_000_000)) // beyond these, nothing changes but overflow
	}
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimLeft(mant, "-+")
	intPart, frac, _ := strings.Cut(mant, ".")
	all := strings.TrimLeft(intPart+frac, "0")
	point := len(intPart) - (len(intPart+frac) - len(all)) + exp // position of the point in all
	if all == "" {
		return 0, nil
	}
	if point <= 0 {
		return 0, errNotInteger
	}
	if point > maxIntegerDigits {
		return 0, errIntegerRange
	}
	if point < len(all) {
		if strings.Trim(all[point:], "0") != "" {
			return 0, errNotInteger
		}
		all = all[:point]
	} else {
		all += strings.Repeat("0", point-len(all))
	}
	if neg {
		all = "-" + all
	}
	n, err := strconv.ParseInt(all, 10, 64)
	if err != nil {
		return 0, errIntegerRange
	}
	return n, nil
}

// floatOf converts a canonical number to a finite float64.
func floatOf(canon string) (float64, error) {
	f, err := strconv.ParseFloat(canon, 64)
	if math.IsInf(f, 0) {
		return 0, errNumberRange
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNotPlainNumber
	}
	return f, nil
}
