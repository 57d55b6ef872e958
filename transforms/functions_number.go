package transforms

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// numberFunctions are number, format_number and round. number reads text in the entity's
// source locale (typing.decimal and typing.thousands) unless given a decimal separator.
func numberFunctions(scope *funcScope) []funcDef {
	return []funcDef{
		{"number", scope.fnNumber, []any{new(func(any) any), new(func(any, string) any)}},
		{"format_number", fnFormatNumber, []any{new(func(any, int) any), new(func(any, int, string) any)}},
		{"round", fnRound, []any{new(func(any) any), new(func(any, int) any)}},
	}
}

// fnNumber: number(x, decimal?) returns numbers as they are and reads text as a float64:
// surrounding space, spaces, no-break spaces and the declared thousands separators are removed
// and the decimal separator must be the declared one. "" and nil give nil.
func (sc *funcScope) fnNumber(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	s, isText := args[0].(string)
	if !isText {
		if _, ok := asFloat(args[0]); ok {
			return args[0], nil
		}
		return nil, fmt.Errorf("number: expected a number or text, got %s", show(args[0]))
	}
	dec := sc.decimal
	if len(args) > 1 {
		dec, _ = args[1].(string)
	}
	if dec != "." && dec != "," {
		return nil, fmt.Errorf("number: the decimal separator must be \".\" or \",\", got %q", dec)
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return parseNumber(s, dec, sc.thousands)
}

// parseNumber reads s with the given decimal separator, removing spaces and the grouping
// separators listed in thousands (which must not include dec).
func parseNumber(s, dec, thousands string) (float64, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '\u00a0' || r == '\u202f':
		case string(r) == dec:
			b.WriteByte('.')
		case strings.ContainsRune(thousands, r):
		case r >= '0' && r <= '9' || r == '-' || r == '+' || r == 'e' || r == 'E':
			b.WriteRune(r)
		default:
			return 0, fmt.Errorf("number: cannot read %q as a number (decimal separator %q)", s, dec)
		}
	}
	f, err := strconv.ParseFloat(b.String(), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("number: cannot read %q as a number (decimal separator %q)", s, dec)
	}
	return f, nil
}

// asFloat converts any number (int kinds, floats, json.Number) to float64.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	}
	return 0, false
}

// isIntKind reports whether v has a Go integer type.
func isIntKind(v any) bool {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// fnFormatNumber: format_number(x, decimals, decimal?) writes x with exactly decimals digits
// after the separator (default "."), rounding half away from zero, without grouping.
func fnFormatNumber(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	f, ok := asFloat(args[0])
	if !ok {
		return nil, fmt.Errorf("format_number: expected a number, got %s", show(args[0]))
	}
	n, err := asInt("format_number", "the number of decimals", args[1])
	if err != nil {
		return nil, err
	}
	if n < 0 || n > 15 {
		return nil, fmt.Errorf("format_number: the number of decimals must be 0 to 15, got %d", n)
	}
	s := strconv.FormatFloat(roundTo(f, n), 'f', n, 64)
	if len(args) > 2 {
		dec, _ := args[2].(string)
		if dec != "." && dec != "," {
			return nil, fmt.Errorf("format_number: the decimal separator must be \".\" or \",\", got %q", dec)
		}
		s = strings.Replace(s, ".", dec, 1)
	}
	return s, nil
}

// fnRound: round(x, n?) rounds half away from zero to n decimals (default 0), giving a
// float64; integers are returned as they are.
func fnRound(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	if isIntKind(args[0]) {
		return args[0], nil
	}
	f, ok := asFloat(args[0])
	if !ok {
		return nil, fmt.Errorf("round: expected a number, got %s", show(args[0]))
	}
	n := 0
	if len(args) > 1 {
		var err error
		if n, err = asInt("round", "the number of decimals", args[1]); err != nil {
			return nil, err
		}
	}
	if n < -15 || n > 15 {
		return nil, fmt.Errorf("round: the number of decimals must be -15 to 15, got %d", n)
	}
	return roundTo(f, n), nil
}

// roundTo rounds f half away from zero to n decimals. It scales through the shortest decimal
// text of f so that 1.005 rounds to 1.01 as a person expects.
func roundTo(f float64, n int) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	// Shift the decimal point in the text representation, not in binary.
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	e, _ := strconv.Atoi(exp)
	scaled, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+n), 64)
	if err != nil {
		return f
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(math.Round(scaled), 'f', 0, 64)+"e"+strconv.Itoa(-n), 64)
	return r
}
