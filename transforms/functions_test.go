package transforms

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/bulkload/bulkload/spec"
)

// evalExpr compiles src as the only property of an Onix Work entity whose source reads numbers
// with a decimal comma and space grouping, maps row, and returns the property's value (absent
// when it was left out) or the mapping error's message for it.
func evalExpr(t *testing.T, src string, row map[string]any, lookups ...spec.Lookup) (v any, present bool, errMsg string) {
	t.Helper()
	job := &spec.Job{
		File:    "job.yaml",
		Target:  spec.Target{Kind: spec.OnixWork},
		Sources: []spec.Source{{Name: "s", Typing: spec.Typing{Decimal: ",", Thousands: " "}}},
		Lookups: lookups,
		Entities: []spec.Entity{{Name: "e", Source: "s", Endpoint: "/v1/e", UserObjectID: ex(`"k"`),
			Properties: obj("v", ex(src))}},
	}
	ms, err := Compile(job)
	if err != nil {
		t.Fatalf("Compile(%s): %v", src, err)
	}
	rec, _, err := ms.All()[0].Map(Env{Row: row})
	if err != nil {
		var me *MapError
		if !errors.As(err, &me) || len(me.Fields) != 1 || me.Fields[0].Field != "properties.v" {
			t.Fatalf("Map(%s): unexpected error %v", src, err)
		}
		return nil, false, me.Fields[0].Msg
	}
	v, present = rec.Body.Get("v")
	return v, present, ""
}

// fnCase is one call of a function: the value it gives, or its error.
type fnCase struct {
	name    string
	expr    string
	row     map[string]any
	want    any
	absent  bool // the property is left out (the expression gives nil)
	wantErr string
}

func runFnCases(t *testing.T, cases []fnCase, lookups ...spec.Lookup) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, present, errMsg := evalExpr(t, tc.expr, tc.row, lookups...)
			switch {
			case tc.wantErr != "":
				if errMsg != tc.wantErr {
					t.Fatalf("%s: error %q, want %q", tc.expr, errMsg, tc.wantErr)
				}
			case errMsg != "":
				t.Fatalf("%s: unexpected error %q", tc.expr, errMsg)
			case tc.absent:
				if present {
					t.Fatalf("%s = %#v, want the property left out", tc.expr, got)
				}
			case !present || !reflect.DeepEqual(got, tc.want):
				t.Fatalf("%s = %#v (present %v), want %#v", tc.expr, got, present, tc.want)
			}
		})
	}
}

func TestTextFunctions(t *testing.T) {
	row := map[string]any{"s": "  Cape Town ", "n": 7, "f": 2.5, "b": true, "nil": nil, "list": []any{"a", nil, 3}}
	runFnCases(t, []fnCase{
		{name: "trim", expr: `trim(row.s)`, row: row, want: "Cape Town"},
		{name: "trim cutset", expr: `trim("xxaxx", "x")`, want: "a"},
		{name: "trim nil", expr: `trim(row.nil)`, row: row, absent: true},
		{name: "trim missing key", expr: `trim(row.nope)`, row: row, absent: true},
		{name: "trim number", expr: `trim(row.n)`, row: row, want: "7"},
		{name: "trim list", expr: `trim(row.list)`, row: row, wantErr: "trim: expected text, got a list"},
		{name: "upper", expr: `upper("æøå abc")`, want: "ÆØÅ ABC"},
		{name: "lower", expr: `lower("Kari.Nordmann@X.NO")`, want: "kari.nordmann@x.no"},
		{name: "title", expr: `title("cape TOWN")`, want: "Cape Town"},
		{name: "concat", expr: `concat("a", row.nil, 1, "-", row.f, row.b)`, row: row, want: "a1-2.5true"},
		{name: "concat lists", expr: `concat([1], [2, 3])`, want: []any{1, 2, 3}},
		{name: "replace", expr: `replace("a-b-c", "-", "/")`, want: "a/b/c"},
		{name: "replace nil", expr: `replace(row.nil, "-", "/")`, row: row, absent: true},
		{name: "regex_match", expr: `regex_match("SAP-123", "^SAP-[0-9]+$")`, want: true},
		{name: "regex_match no", expr: `regex_match("X", "^SAP")`, want: false},
		{name: "regex_match nil", expr: `regex_match(row.nil, "^SAP")`, row: row, want: false},
		{name: "regex_match dynamic bad pattern", expr: `regex_match("x", row.s + "(")`, row: row,
			wantErr: "regex_match: error parsing regexp: missing closing ): `  Cape Town (`"},
		{name: "regex_replace", expr: `regex_replace("2026-11-03", "(\\d+)-(\\d+)-(\\d+)", "$3.$2.$1")`, want: "03.11.2026"},
		{name: "regex_find group", expr: `regex_find("order 10001/2", "(\\d+)/\\d+")`, want: "10001"},
		{name: "regex_find whole", expr: `regex_find("order 10001/2", "\\d+")`, want: "10001"},
		{name: "regex_find none", expr: `regex_find("order", "\\d+")`, absent: true},
		{name: "split", expr: `split("a;b;c", ";")`, want: []any{"a", "b", "c"}},
		{name: "split index", expr: `split("a;b;c", ";")[1]`, want: "b"},
		{name: "join", expr: `join(row.list, ",")`, row: row, want: "a,3"},
		{name: "join split", expr: `join(split("a b", " "), "+")`, want: "a+b"},
		{name: "join not a list", expr: `join("ab", ",")`, wantErr: `join: expected a list, got "ab" (string)`},
		{name: "pad", expr: `pad(row.n, 3, "0")`, row: row, want: "007"},
		{name: "pad default space", expr: `pad("ab", 4)`, want: "  ab"},
		{name: "pad longer", expr: `pad("abcd", 2, "0")`, want: "abcd"},
		{name: "pad bad fill", expr: `pad("a", 3, "00")`, wantErr: `pad: the fill must be one character, got "00"`},
		{name: "pad bad width", expr: `pad("a", row.s)`, row: row, wantErr: `pad: the width must be an integer, got "  Cape Town " (string)`},
		{name: "pad too wide", expr: `pad("a", 1000001)`, wantErr: "pad: the width must be at most 1000000, got 1000001"},
		{name: "pad_right", expr: `pad_right("å", 3, ".")`, want: "å.."},
		{name: "substr", expr: `substr("Cape Town", 5)`, want: "Town"},
		{name: "substr len", expr: `substr("Cape Town", 0, 4)`, want: "Cape"},
		{name: "substr runes", expr: `substr("Smøreolje", 2, 3)`, want: "øre"},
		{name: "substr negative", expr: `substr("Cape Town", -4)`, want: "Town"},
		{name: "substr past end", expr: `substr("abc", 10, 2)`, want: ""},
		{name: "substr bad len", expr: `substr("abc", 0, -1)`, wantErr: "substr: the length must not be negative, got -1"},
	})
}

func TestNumberFunctions(t *testing.T) {
	row := map[string]any{"price": "1 234,50", "dot": "1.5", "n": 5000001001, "f": 2.675, "nil": nil, "empty": ""}
	runFnCases(t, []fnCase{
		{name: "number source locale", expr: `number(row.price)`, row: row, want: 1234.5},
		{name: "number explicit decimal", expr: `number(row.dot, ".")`, row: row, want: 1.5},
		{name: "number wrong separator", expr: `number(row.dot)`, row: row,
			wantErr: `number: cannot read "1.5" as a number (decimal separator ",")`},
		{name: "number keeps integers", expr: `number(row.n)`, row: row, want: 5000001001},
		{name: "number nil", expr: `number(row.nil)`, row: row, absent: true},
		{name: "number empty", expr: `number(row.empty)`, row: row, absent: true},
		{name: "number garbage", expr: `number("12 kr")`, wantErr: `number: cannot read "12 kr" as a number (decimal separator ",")`},
		{name: "number bad separator", expr: `number("1", ";")`, wantErr: `number: the decimal separator must be "." or ",", got ";"`},
		{name: "builtin int of number", expr: `int(number("1 234,00"))`, want: 1234},
		{name: "format_number", expr: `format_number(1234.5, 2)`, want: "1234.50"},
		{name: "format_number comma", expr: `format_number(row.f, 2, ",")`, row: row, want: "2,68"},
		{name: "format_number int", expr: `format_number(3, 1)`, want: "3.0"},
		{name: "format_number text", expr: `format_number("3", 1)`, wantErr: `format_number: expected a number, got "3" (string)`},
		{name: "round half away", expr: `round(2.5)`, want: 3.0},
		{name: "round negative", expr: `round(-2.5)`, want: -3.0},
		{name: "round decimals", expr: `round(1.005, 2)`, want: 1.01},
		{name: "round int", expr: `round(row.n, 2)`, row: row, want: 5000001001},
		{name: "round nil", expr: `round(row.nil)`, row: row, absent: true},
		{name: "integers stay integers", expr: `row.n`, row: row, want: 5000001001},
	})
}

func TestDateFunctions(t *testing.T) {
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Date(2026, 11, 3, 23, 59, 0, 0, time.Local) }
	row := map[string]any{"d": "2026-11-03", "dt": "2026-11-03T14:30:00Z", "no": "03.11.2026", "nil": nil}
	runFnCases(t, []fnCase{
		{name: "format_date date", expr: `format_date(row.d, "02.01.2006")`, row: row, want: "03.11.2026"},
		{name: "format_date date-time", expr: `format_date(row.dt, "2006-01-02 15:04")`, row: row, want: "2026-11-03 14:30"},
		{name: "format_date builtin date", expr: `format_date(date("2026-01-02"), "2.1.2006")`, want: "2.1.2026"},
		{name: "format_date nil", expr: `format_date(row.nil, "02.01.2006")`, row: row, absent: true},
		{name: "format_date not iso", expr: `format_date(row.no, "2006")`, row: row,
			wantErr: `format_date: "03.11.2026" is not an ISO date (2006-01-02) or date-time (2006-01-02T15:04:05Z)`},
		{name: "parse_date", expr: `parse_date(row.no, "02.01.2006")`, row: row, want: "2026-11-03"},
		{name: "parse_date mismatch", expr: `parse_date("3/11", "02.01.2006")`, wantErr: `parse_date: "3/11" does not match the layout "02.01.2006"`},
		{name: "today", expr: `today()`, want: "2026-11-03"},
	})
}

func TestValueFunctions(t *testing.T) {
	row := map[string]any{"status": "A", "n": 1, "empty": "", "nil": nil}
	runFnCases(t, []fnCase{
		{name: "default nil", expr: `default(row.nil, "x")`, row: row, want: "x"},
		{name: "default empty", expr: `default(row.empty, "x")`, row: row, want: "x"},
		{name: "default value", expr: `default(row.status, "x")`, row: row, want: "A"},
		{name: "coalesce", expr: `coalesce(row.nil, row.empty, row.nope, row.status, "z")`, row: row, want: "A"},
		{name: "coalesce none", expr: `coalesce(row.nil, row.empty)`, row: row, absent: true},
		{name: "map_value", expr: `map_value(row.status, {"A": "Active", "I": "Inactive"})`, row: row, want: "Active"},
		{name: "map_value integer key", expr: `map_value(row.n, {"1": "one"})`, row: row, want: "one"},
		{name: "map_value fallback", expr: `map_value("Q", {"A": "Active"}, "Unknown")`, want: "Unknown"},
		{name: "map_value no match", expr: `map_value("Q", {"A": "Active"})`, wantErr: `no mapping for "Q"`},
		{name: "map_value nil", expr: `map_value(row.nil, {"A": "Active"})`, row: row, absent: true},
		{name: "map_value not a map", expr: `map_value("A", "A")`, wantErr: `map_value: the second argument must be a map such as {"A": "a"}, got "A" (string)`},
		{name: "index a map literal", expr: `{"A": "Active"}[row.status]`, row: row, want: "Active"},
		{name: "absent", expr: `absent()`, absent: true},
		{name: "null", expr: `null()`, want: nil},
		{name: "conditional absent", expr: `row.status == "A" ? absent() : "x"`, row: row, absent: true},
		{name: "upper of null", expr: `upper(null())`, absent: true},
		{name: "nested nil members left out", expr: `{"a": row.nil, "b": 1, "c": null()}`, row: row, want: Object{{"b", 1}, {"c", nil}}},
	})
}

func TestConverterFunctions(t *testing.T) {
	row := map[string]any{"site": "A10", "type": "FAC", "n": 42, "nil": nil}
	runFnCases(t, []fnCase{
		{name: "code", expr: `code(row.site)`, row: row,
			want: Object{{"converter", "ReferenceLookup"}, {"type", "Code"}, {"code", "A10"}}},
		{name: "code integer", expr: `code(row.n)`, row: row,
			want: Object{{"converter", "ReferenceLookup"}, {"type", "Code"}, {"code", "42"}}},
		{name: "code nil", expr: `code(row.nil)`, row: row, absent: true},
		{name: "code empty", expr: `code("")`, wantErr: "code: the code is empty"},
		{name: "custom keeps order", expr: `custom({"Site->SiteType_Code": row.type, "Site->Code": row.site})`, row: row,
			want: Object{{"converter", "ReferenceLookup"}, {"type", "Custom"},
				{"properties", Object{{"Site->SiteType_Code", "FAC"}, {"Site->Code", "A10"}}}}},
		{name: "custom of a built map sorts keys", expr: `custom(fromPairs([["b", 1], ["a", 2]]))`,
			want: Object{{"converter", "ReferenceLookup"}, {"type", "Custom"}, {"properties", Object{{"a", 2}, {"b", 1}}}}},
		{name: "custom all nil", expr: `custom({"Site->Code": row.nil})`, row: row, absent: true},
		{name: "custom some nil", expr: `custom({"Site->Code": row.site, "Site->SiteType_Code": row.nil})`, row: row,
			wantErr: `custom: "Site->SiteType_Code" is nil`},
		{name: "custom not a map", expr: `custom("A10")`, wantErr: `custom: expected a map such as {"Site->Code": row.site}, got "A10" (string)`},
		{name: "short code form keeps order", expr: `{"converter": "ReferenceLookup", "code": row.site}`, row: row,
			want: Object{{"converter", "ReferenceLookup"}, {"code", "A10"}}},
		{name: "list of maps keeps order", expr: `[{"z": 1, "a": 2}]`, want: []any{Object{{"z", 1}, {"a", 2}}}},
	})
}

func TestFunctionPanicsBecomeErrors(t *testing.T) {
	f := safe("boom", func(...any) (any, error) { panic("index out of range") })
	_, err := f()
	if err == nil || err.Error() != "boom: internal error: index out of range" {
		t.Fatalf("err = %v", err)
	}
}

func TestNullEncodesAsNull(t *testing.T) {
	b, err := json.Marshal(Object{{"a", Null}, {"b", []any{Null}}})
	if err != nil || string(b) != `{"a":null,"b":[null]}` {
		t.Fatalf("json = %s, %v", b, err)
	}
}
