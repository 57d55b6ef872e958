package schemas

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// fastRow is a row schema's "fast accept" check: for a schema made only of keywords it fully
// understands, accepts says whether a typed row is certainly valid. It is sound, never
// complete: accepts returns true only for rows jsonschema accepts, and false ("don't know")
// for every row it cannot prove valid, which the library then validates and explains. A
// fastRow is immutable and safe for concurrent use.
//
// The schema it understands is an object whose top level has at most type, required,
// properties and additionalProperties false, each property a leaf with at most type, enum,
// const, format, minLength, maxLength, pattern, minimum, maximum, exclusiveMinimum and
// exclusiveMaximum (annotations such as title and description aside). It reads the keywords
// from the compiled schema, so they mean exactly what the library compiled: the library's own
// regular expressions and format functions run, in whatever draft the schema is written (format
// date first tries IsISODate, which accepts only dates the library's check accepts).
type fastRow struct {
	props    map[string]*fastLeaf
	required []string
	closed   bool // additionalProperties false
}

// fastLeaf is one property's checks.
type fastLeaf struct {
	types             typeSet // 0: any type
	hasConst, hasEnum bool
	constant          any
	enum              []any
	format            func(any) bool
	minLength         int // -1: none
	maxLength         int
	pattern           *regexp.Regexp
	minimum, exclMin  *fastBound
	maximum, exclMax  *fastBound
}

// typeSet is a set of JSON Schema types.
type typeSet uint8

const (
	typeString typeSet = 1 << iota
	typeInteger
	typeNumber
	typeBoolean
	typeNull
)

var typeBits = map[string]typeSet{"string": typeString, "integer": typeInteger, "number": typeNumber,
	"boolean": typeBoolean, "null": typeNull}

// fastBound is a numeric bound as the nearest float64; exact says the bound is the number the
// library reads from that float64 (the shortest decimal that rounds to it), so a value equal to
// the float64 is equal to the bound.
type fastBound struct {
	f     float64
	exact bool
}

func newBound(r *big.Rat) *fastBound {
	if r == nil {
		return nil
	}
	f, _ := r.Float64()
	shortest, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return &fastBound{f: f, exact: ok && shortest.Cmp(r) == 0}
}

// newFastRow compiles the fast check of a schema compiled with formats asserted, or returns
// nil when the schema uses anything it does not understand.
func newFastRow(s *jsonschema.Schema) *fastRow {
	if !bareSchema(s, rootKeywords) || !typesAre(s.Types, "object") {
		return nil
	}
	fr := &fastRow{props: make(map[string]*fastLeaf, len(s.Properties)), required: s.Required}
	switch ap := s.AdditionalProperties.(type) {
	case nil:
	case bool:
		fr.closed = !ap
	default:
		return nil
	}
	for name, p := range s.Properties {
		leaf := newFastLeaf(p)
		if leaf == nil {
			return nil
		}
		fr.props[name] = leaf
	}
	return fr
}

func newFastLeaf(s *jsonschema.Schema) *fastLeaf {
	if !bareSchema(s, leafKeywords) {
		return nil
	}
	l := &fastLeaf{minLength: s.MinLength, maxLength: s.MaxLength, pattern: s.Pattern,
		minimum: newBound(s.Minimum), exclMin: newBound(s.ExclusiveMinimum),
		maximum: newBound(s.Maximum), exclMax: newBound(s.ExclusiveMaximum)}
	for _, t := range s.Types {
		bit, ok := typeBits[t]
		if !ok {
			return nil // object or array: nested values are left to the library
		}
		l.types |= bit
	}
	if len(s.Constant) > 0 {
		l.hasConst, l.constant = true, s.Constant[0]
	}
	if len(s.Enum) > 0 {
		l.hasEnum, l.enum = true, s.Enum
	}
	if s.Format != "" {
		l.format = jsonschema.Formats[s.Format] // nil for a format the library does not assert
		if lib := l.format; s.Format == "date" && lib != nil {
			l.format = func(v any) bool {
				s, ok := v.(string)
				return ok && IsISODate(s) || lib(v)
			}
		}
	}
	return l
}

// accepts reports whether row is certainly valid; false means "don't know".
func (fr *fastRow) accepts(row map[string]any) bool {
	for name, v := range row {
		leaf, ok := fr.props[name]
		if !ok {
			if fr.closed {
				return false
			}
			continue
		}
		if !leaf.accepts(v) {
			return false
		}
	}
	for _, name := range fr.required {
		if _, ok := row[name]; !ok {
			return false
		}
	}
	return true
}

// accepts reports whether v certainly satisfies the leaf.
func (l *fastLeaf) accepts(v any) bool {
	var (
		kind typeSet
		num  float64 // the value of a number, exact
		str  string
	)
	switch x := v.(type) {
	case string:
		kind, str = typeString, x
	case bool:
		kind = typeBoolean
	case nil:
		kind = typeNull
	case int64:
		if x <= -1<<53 || x >= 1<<53 {
			return false
		}
		kind, num = typeInteger, float64(x)
	case int:
		if x <= -1<<53 || x >= 1<<53 {
			return false
		}
		kind, num = typeInteger, float64(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
		kind, num = typeNumber, x
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			kind = typeInteger // the library sees an integer: fmt.Sprint writes it without a fraction
		}
	default:
		return false // json.Number, other numbers, objects and arrays: the library decides
	}
	if l.types != 0 && !l.typeMatches(kind) {
		return false
	}
	if l.hasConst && !sameScalar(v, l.constant) {
		return false
	}
	if l.hasEnum && !l.inEnum(v) {
		return false
	}
	if l.format != nil && !l.format(v) {
		return false
	}
	switch kind {
	case typeString:
		if l.minLength >= 0 || l.maxLength >= 0 {
			n := utf8.RuneCountInString(str)
			if l.minLength >= 0 && n < l.minLength || l.maxLength >= 0 && n > l.maxLength {
				return false
			}
		}
		if l.pattern != nil && !l.pattern.MatchString(str) {
			return false
		}
	case typeInteger, typeNumber:
		return l.minimum.below(num, true) && l.exclMin.below(num, false) &&
			l.maximum.above(num, true) && l.exclMax.above(num, false)
	}
	return true
}

// typeMatches: an integer value is also a number.
func (l *fastLeaf) typeMatches(kind typeSet) bool {
	if kind == typeInteger {
		return l.types&(typeInteger|typeNumber) != 0
	}
	return l.types&kind != 0
}

func (l *fastLeaf) inEnum(v any) bool {
	for _, e := range l.enum {
		if sameScalar(v, e) {
			return true
		}
	}
	return false
}

// sameScalar reports whether v and c are the same string, boolean or null; numbers and
// anything else are left to the library (false).
func sameScalar(v, c any) bool {
	switch x := v.(type) {
	case string:
		y, ok := c.(string)
		return ok && x == y
	case bool:
		y, ok := c.(bool)
		return ok && x == y
	case nil:
		return c == nil
	}
	return false
}

// below reports whether the bound is certainly at most (inclusive) or below (exclusive) the
// number x, a float64 or an integer below 2^53 in magnitude. The library compares the decimal
// fmt.Sprint writes for the value: for an integer the integer, for a float64 the shortest
// decimal that rounds to it. Either rounds to x, and rounding to the nearest float64 is
// monotonic, so x above the bound's float64 means the value is above the bound; x equal to an
// exact bound's float64 means the value is the bound.
func (b *fastBound) below(x float64, inclusive bool) bool {
	return b == nil || x > b.f || inclusive && b.exact && x == b.f
}

// above is below's mirror: the bound is certainly at least (inclusive) or above x.
func (b *fastBound) above(x float64, inclusive bool) bool {
	return b == nil || x < b.f || inclusive && b.exact && x == b.f
}
