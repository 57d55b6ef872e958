package transforms

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// sameAsEncodingJSON fails unless AppendJSON gives encoding/json's bytes for v (through
// marshalValue, the reference), or the same error.
func sameAsEncodingJSON(t *testing.T, v any) {
	t.Helper()
	want, wantErr := marshalValue(v)
	prefix := []byte("prefix:")
	got, err := AppendJSON(prefix[:len(prefix):len(prefix)], v)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("%#v: error %v, encoding/json's %v", v, err, wantErr)
	}
	if err != nil {
		if string(got) != string(prefix) {
			t.Fatalf("%#v: failed with %q, want the prefix unchanged", v, got)
		}
		return
	}
	if !bytes.Equal(got[len(prefix):], want) || !bytes.HasPrefix(got, prefix) {
		t.Fatalf("%#v:\n got %s\nwant %s%s", v, got, prefix, want)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	var nilObject Object
	var nilSlice []any
	var nilMap map[string]any
	tests := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"Null", Null},
		{"bools", []any{true, false}},
		{"ints", []any{0, -1, int64(math.MinInt64), int64(math.MaxInt64), int8(-8), int16(16), int32(-32), uint(7), uint8(255), uint16(65535), uint32(math.MaxUint32), uint64(math.MaxUint64)}},
		{"floats", []any{0.0, math.Copysign(0, -1), 1.5, -2.25, 1e20, 1e21, 123456789e13, 1e-6, 1e-7, 9.99e-7, 5e-324, math.MaxFloat64, -math.SmallestNonzeroFloat64, 1.0 / 3, 100, 1e-10, 12.34e-300}},
		{"NaN", math.NaN()},
		{"infinity inside an object", Object{{"a", 1}, {"b", math.Inf(-1)}}},
		{"numbers", []any{json.Number("12"), json.Number("-0.5e+10"), json.Number(""), json.Number("1E5"), json.Number("0.10")}},
		{"invalid number", Object{{"n", json.Number("01")}}},
		{"invalid number 1.", []any{json.Number("1.")}},
		{"strings", []any{"", "plain", `quote " backslash \ slash /`, "<tag>&amp;", "\b\f\n\r\t\x00\x01\x1f\x7f",
			"\u2028\u2029", "é ü 日本 🎉", "bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate", strings.Repeat("long ", 100)}},
		{"nil Object", nilObject},
		{"nil Object member", Object{{"o", nilObject}}},
		{"nil slice", nilSlice},
		{"nil slice member", Object{{"s", nilSlice}}},
		{"nil map", nilMap},
		{"empty", []any{Object{}, []any{}, map[string]any{}}},
		{"map sorted", map[string]any{"b": 1, "a": "x", "": nil, "A": []any{1.5}, "é": Null, "a<b": true}},
		{"nested", Object{{"entityType", "Site"}, {"action", "Merge"}, {"userObjectId", "S-1"}, {"groupOrder", 1},
			{"properties", Object{{"code", "CPT"}, {"SiteType->Code", "X"}, {"qty", int64(3)}, {"price", 12.5},
				{"tags", []any{"a", Object{{"k", map[string]any{"z": 1, "y": []any{nil, Null}}}}}}}}}},
		{"duplicate keys kept", Object{{"a", 1}, {"a", 2}}},
		{"key escaping", Object{{"a\"b\n\u2028", 1}}},
		{"other types through encoding/json", []any{time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC), []string{"x", "<"}, map[string]int{"b": 2, "a": 1}, float32(0.1), struct{ A int }{1}}},
		{"unsupported type", Object{{"c", make(chan int)}}},
		{"named string", []any{FieldError{Field: "f", Msg: "<m>"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { sameAsEncodingJSON(t, tt.v) })
	}
}

// FuzzEncodeJSON checks AppendJSON against encoding/json on bodies built from random JSON
// documents (objects kept as maps, as Objects in document order and as typed values) and
// random strings and numbers.
func FuzzEncodeJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,2.5,"x",null,true,{"b":{}}],"c":-0.0}`), "key", "v\u2028<>&", 1.5, int64(-3))
	f.Add([]byte(`[1e400, 1E-7, 0.1]`), "\xff", "\x00", math.Inf(1), int64(math.MinInt64))
	f.Add([]byte(`"\ud800"`), "", "", 1e21, int64(0))
	f.Fuzz(func(t *testing.T, doc []byte, key, s string, x float64, n int64) {
		body := Object{{key, s}, {"x", x}, {"n", n}, {"num", json.Number(s)}, {"raw", string(doc)}}
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			body = append(body, Member{"doc", v}, Member{"plain", PlainJSON(v)}, Member{"ordered", ordered(v)})
		}
		sameAsEncodingJSON(t, body)
	})
}

// ordered turns a decoded document's maps into Objects (in sorted key order) and its numbers
// into int64 or float64, as a mapping's values are.
func ordered(v any) any {
	switch x := PlainJSON(v).(type) {
	case map[string]any:
		o := sortedObject(x)
		for i := range o {
			o[i].Value = ordered(o[i].Value)
		}
		return o
	case []any:
		for i := range x {
			x[i] = ordered(x[i])
		}
		return x
	default:
		return x
	}
}
