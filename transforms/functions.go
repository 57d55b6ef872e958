package transforms

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/expr-lang/expr"
)

// funcDef is one function of the mapping language (see FUNCTIONS.md). Types, when given, are
// the signatures expr checks calls against at compile time, so that a wrong number of
// arguments is a spec error rather than a row error.
type funcDef struct {
	name  string
	fn    func(args ...any) (any, error)
	types []any
}

// funcScope is what the functions of one entity may depend on: the job's lookup tables and the
// number locale of the entity's source.
type funcScope struct {
	lookups   map[string]*lookupTable
	decimal   string // the source's decimal separator, "." or ","
	thousands string // the source's declared grouping separators
}

// functionOptions returns the expr options that register every function for one entity.
func functionOptions(scope *funcScope) []expr.Option {
	var defs []funcDef
	defs = append(defs, textFunctions()...)
	defs = append(defs, numberFunctions(scope)...)
	defs = append(defs, dateFunctions()...)
	defs = append(defs, valueFunctions(scope)...)
	defs = append(defs, converterFunctions()...)
	opts := make([]expr.Option, 0, len(defs))
	for _, d := range defs {
		opts = append(opts, expr.Function(d.name, safe(d.name, d.fn), d.types...))
	}
	return opts
}

// safe turns a panic inside a function into an error, so that bad data never crashes a run.
func safe(name string, fn func(args ...any) (any, error)) func(args ...any) (any, error) {
	return func(args ...any) (out any, err error) {
		defer func() {
			if r := recover(); r != nil {
				out, err = nil, fmt.Errorf("%s: internal error: %v", name, r)
			}
		}()
		return fn(args...)
	}
}

// valueFunctions are the functions about presence and value maps.
func valueFunctions(scope *funcScope) []funcDef {
	return []funcDef{
		{"absent", func(...any) (any, error) { return nil, nil }, []any{new(func() any)}},
		{"null", func(...any) (any, error) { return Null, nil }, []any{new(func() any)}},
		{"default", fnDefault, []any{new(func(any, any) any)}},
		{"coalesce", fnCoalesce, []any{new(func(...any) any)}},
		{"map_value", fnMapValue, []any{new(func(any, any) any), new(func(any, any, any) any)}},
		{"lookup", scope.fnLookup, []any{new(func(string, any) any), new(func(string, any, any) any)}},
	}
}

// jsonNull is the type of Null.
type jsonNull struct{}

// MarshalJSON encodes the marker as null.
func (jsonNull) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// Null is what the function null() returns: a value that stays in the payload as JSON null,
// where a plain nil (an absent value) leaves the property out. Functions treat it as nil.
var Null any = jsonNull{}

// isNil reports whether v is nil or Null.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	_, ok := v.(jsonNull)
	return ok
}

// isBlank reports whether v is nil, Null or "".
func isBlank(v any) bool {
	s, ok := v.(string)
	return isNil(v) || ok && s == ""
}

func fnDefault(args ...any) (any, error) {
	if isBlank(args[0]) {
		return args[1], nil
	}
	return args[0], nil
}

func fnCoalesce(args ...any) (any, error) {
	for _, a := range args {
		if !isBlank(a) {
			return a, nil
		}
	}
	return nil, nil
}

// fnMapValue looks x up in an inline map: map_value(x, {"A": "a"}, fallback?).
func fnMapValue(args ...any) (any, error) {
	if isNil(args[0]) {
		if len(args) > 2 {
			return args[2], nil
		}
		return nil, nil
	}
	key, err := asText("map_value", args[0])
	if err != nil {
		return nil, err
	}
	var (
		v     any
		found bool
	)
	if o, ok := args[1].(Object); ok {
		v, found = o.Get(key)
	} else if m, ok := asMap(args[1]); ok {
		v, found = m[key]
	} else {
		return nil, fmt.Errorf("map_value: the second argument must be a map such as {\"A\": \"a\"}, got %s", show(args[1]))
	}
	switch {
	case found:
		return v, nil
	case len(args) > 2:
		return args[2], nil
	}
	return nil, fmt.Errorf("no mapping for %q", key)
}

// asMap returns a map with text keys as a map[string]any (expr builds map[any]any with
// fromPairs, for instance).
func asMap(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		k, ok := it.Key().Interface().(string)
		if !ok {
			return nil, false
		}
		out[k] = it.Value().Interface()
	}
	return out, true
}

// asText converts a scalar argument to its text: strings as they are, integers in decimal,
// floats in the shortest form that reads back the same, booleans as true/false.
func asText(fn string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	}
	return "", fmt.Errorf("%s: expected text, got %s", fn, show(v))
}

// asInt converts an integer-valued argument (any int kind, or a whole float) to int.
func asInt(fn, what string, v any) (int, error) {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x), nil
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return int(n), nil
		}
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return int(rv.Int()), nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
			return int(rv.Uint()), nil
		}
	}
	return 0, fmt.Errorf("%s: %s must be an integer, got %s", fn, what, show(v))
}

// show names a value and its type for messages: `"abc" (string)`, `nil`.
func show(v any) string {
	if isNil(v) {
		return "nil"
	}
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("%q (string)", x)
	case map[string]any, Object:
		return "an object"
	case []any:
		return "a list"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return fmt.Sprintf("a %T", v)
	}
	return fmt.Sprintf("%v (%T)", v, v)
}

// unNull turns Null into nil: inside a payload both encode as null, and plain nil is what
// the rest of the program expects there.
func unNull(v any) any {
	if _, ok := v.(jsonNull); ok {
		return nil
	}
	return v
}

// plain converts an expression's result into a value that encodes as the JSON the target
// gets: Go maps with text keys become Objects with sorted keys; nil members of objects are
// left out and Null members become nil (JSON null); lists become []any; times become RFC 3339 text. Other values
// (functions, NaN, infinities) are errors.
func plain(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number, jsonNull:
		return v, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%v is not a number JSON can carry", x)
		}
		return v, nil
	case float32:
		return plain(float64(x))
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	case Object:
		o := make(Object, 0, len(x))
		for _, m := range x {
			pv, err := plain(m.Value)
			if err != nil {
				return nil, err
			}
			if pv != nil {
				o = append(o, Member{Key: m.Key, Value: unNull(pv)})
			}
		}
		return o, nil
	}
	if isIntKind(v) {
		return v, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		l, _ := asList(v)
		out := make([]any, len(l))
		for i, e := range l {
			pv, err := plain(e)
			if err != nil {
				return nil, err
			}
			out[i] = unNull(pv)
		}
		return out, nil
	case reflect.Map:
		if m, ok := asMap(v); ok {
			return plain(sortedObject(m))
		}
	}
	return nil, fmt.Errorf("gives %s, which cannot be sent as JSON", show(v))
}
