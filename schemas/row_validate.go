package schemas

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Violation is one way a row breaks its schema: one rule of one column.
type Violation struct {
	// Column is the top-level property concerned: the column that failed, or for required and
	// additionalProperties the property that is missing or not allowed. Empty for a rule on the
	// row as a whole (minProperties, say).
	Column string
	// Path locates the failing value inside a nested column ("lines/0/qty" below column
	// "order"); empty for the column itself. The message then ends with " (at column/path)".
	Path string
	// Keyword is the schema keyword that failed: type, format, maximum, required, enum, ...
	Keyword string
	// Message is short and human, without the column name: "must be >= 1 but is 0", "missing",
	// "not allowed (not in the schema)", `"abc" is not a valid email`.
	Message string
}

// Validate checks a typed row (values as encoding/json decodes them, plus int64) and returns
// every violation, or nil when the row is valid. Each leaf of the library's error tree becomes a
// violation (one per property for required and additionalProperties), in a deterministic order:
// by instance location, then keyword location, then message. Validate is safe for concurrent
// use and never panics; a value of a type JSON cannot hold is itself reported as a violation.
// A row the schema's fast check proves valid (see fastRow) is not given to the library.
func (s *RowSchema) Validate(row map[string]any) []Violation {
	if s.fast != nil && s.fast.accepts(row) {
		return nil
	}
	err := s.schema.Validate(row)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Keyword: "type", Message: strings.TrimPrefix(err.Error(), "jsonschema: ")}}
	}
	leaves := leavesOf(ve)
	sort.SliceStable(leaves, func(i, j int) bool {
		a, b := leaves[i], leaves[j]
		if a.InstanceLocation != b.InstanceLocation {
			return a.InstanceLocation < b.InstanceLocation
		}
		if a.KeywordLocation != b.KeywordLocation {
			return a.KeywordLocation < b.KeywordLocation
		}
		return a.Message < b.Message
	})
	var out []Violation
	for _, l := range leaves {
		out = append(out, s.violations(l, row)...)
	}
	return out
}

// leavesOf collects the error tree's leaves: the causes that have no causes of their own.
func leavesOf(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leavesOf(c)...)
	}
	return out
}

// violations turns one leaf into violations.
func (s *RowSchema) violations(l *jsonschema.ValidationError, row map[string]any) []Violation {
	segs := pointerSegments(l.InstanceLocation)
	keyword := keywordOf(l.KeywordLocation, l.Message)
	named := func(names []string, msg func(name string) string) []Violation {
		out := make([]Violation, 0, len(names))
		for _, n := range names {
			out = append(out, located(append(segs[:len(segs):len(segs)], n), keyword, msg(n)))
		}
		return out
	}
	switch keyword {
	case "required":
		if names, ok := unquoteList(strings.TrimPrefix(l.Message, "missing properties: ")); ok {
			return named(names, func(string) string { return "missing" })
		}
	case "additionalProperties":
		list := strings.TrimSuffix(strings.TrimPrefix(l.Message, "additionalProperties "), " not allowed")
		if names, ok := unquoteList(list); ok {
			sort.Strings(names) // the library lists them in map order
			return named(names, func(string) string { return "not allowed (not in the schema)" })
		}
	case "dependentRequired", "dependencies":
		// property 'x' is required, if 'y' property exists
		rest := strings.TrimPrefix(l.Message, "property ")
		if i := strings.Index(rest, " is required, if "); i > 0 {
			a, okA := unquoteList(rest[:i])
			b, okB := unquoteList(strings.TrimSuffix(rest[i+len(" is required, if "):], " property exists"))
			if okA && okB && len(a) == 1 && len(b) == 1 {
				return named(a, func(string) string { return fmt.Sprintf("missing (required when %s is present)", strconv.Quote(b[0])) })
			}
		}
	}
	if keyword == "false" {
		return []Violation{located(segs, keyword, "not allowed (the schema forbids it)")}
	}
	value, _ := valueAt(row, segs)
	return []Violation{located(segs, keyword, s.message(l, keyword, value))}
}

// located builds a violation for the value at the given (unescaped) pointer segments.
func located(segs []string, keyword, msg string) Violation {
	v := Violation{Keyword: keyword, Message: msg}
	if len(segs) > 0 {
		v.Column = segs[0]
	}
	if len(segs) > 1 {
		v.Path = strings.Join(segs[1:], "/")
		v.Message += " (at " + strings.Join(segs, "/") + ")"
	}
	return v
}

// keywordOf names the keyword of a leaf: the last segment of its keyword location, except for
// dependentRequired's "/dependentRequired/name/0" and a false schema ("not allowed").
func keywordOf(loc, msg string) string {
	segs := strings.Split(loc, "/")
	last := segs[len(segs)-1]
	if n := len(segs); n >= 3 {
		if _, err := strconv.Atoi(last); err == nil && (segs[n-3] == "dependentRequired" || segs[n-3] == "dependencies") {
			return segs[n-3]
		}
	}
	if msg == "not allowed" {
		switch last {
		case "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "items", "additionalItems", "propertyNames":
			return last
		}
		return "false"
	}
	return last
}

// message rewrites the library's message into a short human one.
func (s *RowSchema) message(l *jsonschema.ValidationError, keyword string, value any) string {
	msg := l.Message
	switch keyword {
	case "type":
		// expected integer, but got string
		if want, got, ok := strings.Cut(strings.TrimPrefix(msg, "expected "), ", but got "); ok {
			return "must be " + want + " but is " + got
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		return strings.Replace(msg, " but found ", " but is ", 1)
	case "minLength", "maxLength":
		return strings.Replace(msg, ", but got ", " but is ", 1)
	case "multipleOf":
		if v, m, ok := strings.Cut(msg, " not multipleOf "); ok {
			return "must be a multiple of " + m + " but is " + v
		}
	case "format":
		if i := strings.LastIndex(msg, " is not valid "); i >= 0 {
			if f, ok := unquoteList(msg[i+len(" is not valid "):]); ok && len(f) == 1 {
				return render(value) + " is not a valid " + f[0]
			}
		}
	case "pattern":
		if p, ok := unquoteList(strings.TrimPrefix(msg, "does not match pattern ")); ok && len(p) == 1 {
			return render(value) + " does not match the pattern " + p[0]
		}
	case "enum", "const":
		if allowed, ok := s.schemaValue(l.AbsoluteKeywordLocation); ok {
			if keyword == "const" {
				return "must be " + render(allowed) + " but is " + render(value)
			}
			if list, ok := allowed.([]any); ok {
				parts := make([]string, 0, len(list))
				for i, a := range list {
					if i == 10 {
						parts = append(parts, fmt.Sprintf("… (%d in all)", len(list)))
						break
					}
					parts = append(parts, render(a))
				}
				return "must be one of " + strings.Join(parts, ", ") + " but is " + render(value)
			}
		}
		return strings.TrimPrefix(msg, "value ") + " but is " + render(value)
	case "minItems", "maxItems", "minProperties", "maxProperties":
		// minimum 2 items required, but found 1 items
		var want, got int
		var what string
		if _, err := fmt.Sscanf(msg, "%s %d %s %s but found %d", new(string), &want, &what, new(string), &got); err == nil {
			bound := "at least"
			if strings.HasPrefix(keyword, "max") {
				bound = "at most"
			}
			if want == 1 {
				what = strings.TrimSuffix(what, "s")
			}
			return fmt.Sprintf("must have %s %d %s but has %d", bound, want, what, got)
		}
	}
	return msg
}

// schemaValue returns the schema document's value at an absolute keyword location in this
// schema's own file ("file:///x/row.json#/properties/state/enum").
func (s *RowSchema) schemaValue(absLoc string) (any, bool) {
	u, frag, ok := strings.Cut(absLoc, "#")
	if !ok || u != s.url {
		return nil, false
	}
	return resolvePointer(s.doc, frag)
}

// pointerSegments splits an instance location into unescaped segments; "" is the row itself.
func pointerSegments(ptr string) []string {
	if ptr == "" || ptr == "/" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, seg := range segs {
		segs[i] = unescapeSegment(seg)
	}
	return segs
}

// valueAt finds the row's value at the given pointer segments.
func valueAt(v any, segs []string) (any, bool) {
	for _, seg := range segs {
		switch c := v.(type) {
		case map[string]any:
			x, ok := c[seg]
			if !ok {
				return nil, false
			}
			v = x
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// render shows a value in a message: strings quoted, long values shortened.
func render(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		r := []rune(x)
		if len(r) > 60 {
			x = string(r[:60]) + "…"
		}
		return strconv.Quote(x)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	case json.Number:
		s = x.String()
	case map[string]any, []any:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		s = string(b)
	default:
		s = fmt.Sprint(x)
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// unquoteList parses the library's list of single-quoted names ('a', 'b\'c'), as its quote
// function writes them: a Go %q string with \" unescaped and ' escaped, in single quotes.
func unquoteList(s string) ([]string, bool) {
	var out []string
	for {
		if len(s) < 2 || s[0] != '\'' {
			return nil, false
		}
		var b strings.Builder
		b.WriteByte('"')
		i := 1
		for ; i < len(s) && s[i] != '\''; i++ {
			switch {
			case s[i] == '\\' && i+1 < len(s) && s[i+1] == '\'':
				b.WriteByte('\'')
				i++
			case s[i] == '\\' && i+1 < len(s):
				b.WriteString(s[i : i+2])
				i++
			case s[i] == '"':
				b.WriteString(`\"`)
			default:
				b.WriteByte(s[i])
			}
		}
		if i >= len(s) {
			return nil, false
		}
		b.WriteByte('"')
		name, err := strconv.Unquote(b.String())
		if err != nil {
			return nil, false
		}
		out = append(out, name)
		s = s[i+1:]
		if s == "" {
			return out, true
		}
		if !strings.HasPrefix(s, ", ") {
			return nil, false
		}
		s = s[2:]
	}
}
