package transforms

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bulkload/bulkload/schemas"
)

// PlainJSON returns v with every json.Number, at any depth, replaced by an int64 when it is
// integral and fits, and by a float64 otherwise (a number beyond float64's range stays a
// json.Number). Maps and slices are copied, never modified; other values are returned as they
// are. The result suits JSON Schema validation and expressions alike.
func PlainJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		n, _, _ := numberValue(schemas.TypeAny, x)
		return n
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = PlainJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = PlainJSON(e)
		}
		return s
	}
	return v
}

// numberValue types a JSON number for a column of the given type: int64 for integer columns
// (an error when not integral), float64 for number columns, and otherwise int64 when integral,
// float64 when not.
func numberValue(typ string, n json.Number) (any, bool, string) {
	canon := n.String()
	switch typ {
	case schemas.TypeInteger:
		i, err := integerOf(canon)
		if err != nil {
			return nil, false, canon + " " + err.Error()
		}
		return i, true, ""
	case schemas.TypeNumber:
		f, err := floatOf(canon)
		if err != nil {
			return nil, false, canon + " " + err.Error()
		}
		return f, true, ""
	}
	if i, err := integerOf(canon); err == nil {
		return i, true, ""
	}
	if f, err := floatOf(canon); err == nil {
		return f, true, ""
	}
	return n, true, "" // too large for a float64: kept exact, and still valid JSON
}

// jsonText types the text of an object or array column: it must be one JSON value of that type.
func jsonText(typ, s, q string) (any, bool, string) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, e := dec.Token(); e != io.EOF {
			err = fmt.Errorf("more than one value")
		}
	}
	want := "a JSON object"
	if typ == schemas.TypeArray {
		want = "a JSON array"
	}
	if err != nil {
		return nil, false, q + " is not " + want
	}
	switch v.(type) {
	case map[string]any:
		if typ == schemas.TypeObject {
			return PlainJSON(v), true, ""
		}
	case []any:
		if typ == schemas.TypeArray {
			return PlainJSON(v), true, ""
		}
	}
	return nil, false, q + " is not " + want
}
