package transforms

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// FuzzCoerce types arbitrary text in a column of each type, with each typing of the tests, as a
// cell of a CSV source, of an XLSX source (either date system) and as a string of a JSON source.
// Whatever the text, nothing panics, and each cell is exactly one of: left out as empty (only
// when it is blank), typed, or one CellError that quotes it. A typed value has its column's type:
// int64 for integer, float64 for number, bool, an ISO date, an RFC 3339 date-time in UTC, a JSON
// object or array; an integer is also a number of the same value. And a typed value round-trips:
// written as the package writes such a value (an integer in decimal, a number as asText and
// format_number write it with the typing's decimal separator, true or false when the typing has
// the default words, a date or date-time as it was typed, JSON as EncodeJSON writes it) and typed
// again, it gives the same value.
func FuzzCoerce(f *testing.F) {
	for _, s := range testStrings(f, func(key, _ string) bool { return key == "raw" }) {
		f.Add(s, uint8(0), uint8(0))
		f.Add(s, uint8(1), uint8(1))
	}
	for _, s := range []string{"1e-400", "-0", "0.1e1", "1.7976931348623157e308", "4.9e-324", "12345678901234567.0",
		"60", "0", "2024-02-29T24:00:00Z", " [1, 2e400, -0.0, \"\\ud800\"] ", `{"a":{"a":1},"a":2}`, "\u00a0", "ja",
		// Once typed as date-times that are not RFC 3339: "10000-01-01T00:59:59Z", "-0001-12-31T23:00:00Z"
		// and, as an Excel 1904 serial, "10004-01-01T23:59:59Z".
		"9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+01:00", "2958465.99999"} {
		for typing := range uint8(10) {
			f.Add(s, typing, typing%4)
		}
	}
	schemaPath := filepath.Join(f.TempDir(), "row.schema.json")
	if err := os.WriteFile(schemaPath, []byte(typingSchema), 0o644); err != nil {
		f.Fatal(err)
	}
	schema, err := schemas.LoadRow(schemaPath)
	if err != nil {
		f.Fatal(err)
	}
	typings := []spec.Typing{dot, comma, commaDot, dotComma, swiss, noTrim, norsk, withClock, compact, {Trim: true, Empty: spec.EmptyAbsent}}
	formats := []struct {
		format string
		dates  readers.DateSystem
	}{{"csv", readers.NoSerialDates}, {"xlsx", readers.Excel1900}, {"xlsx", readers.Excel1904}, {"json", readers.NoSerialDates}}
	columns := []string{"int", "num", "flag", "day", "at", "text", "obj", "list", "any", "nint"}
	f.Fuzz(func(t *testing.T, s string, typingNo, formatNo uint8) {
		typing := typings[int(typingNo)%len(typings)]
		format := formats[int(formatNo)%len(formats)]
		typer, err := NewTyper(&spec.Source{Name: "src", File: "src." + format.format, Format: format.format, Typing: typing}, schema)
		if err != nil {
			t.Fatal(err)
		}
		values := make([]any, len(columns))
		for i := range values {
			values[i] = s
		}
		typeOne := func(column string, raw string) (any, bool, []CellError) {
			got, errs := typer.Type(readers.Row{Columns: []string{column}, Values: []any{raw}, Dates: format.dates})
			v, ok := got[column]
			return v, ok, errs
		}
		got, errs := typer.Type(readers.Row{Columns: columns, Values: values, Dates: format.dates})
		failed := map[string]bool{}
		for _, e := range errs {
			if e.Index < 0 || e.Index >= len(columns) || e.Column != columns[e.Index] || e.Raw != s ||
				!strings.HasPrefix(e.Msg, strconv.Quote(s)+" ") || failed[e.Column] {
				t.Fatalf("bad CellError %#v", e)
			}
			failed[e.Column] = true
		}
		clean := s
		if typing.Trim {
			clean = strings.TrimSpace(s)
		}
		for _, column := range columns {
			v, present := got[column]
			blank := clean == "" && (format.format != "json" || typedColumn(typer.columns[column].Type))
			switch {
			case blank && (present || failed[column]):
				t.Fatalf("%s: the blank %q gave %#v (present %v), error %v", column, s, v, present, failed[column])
			case !blank && present == failed[column]:
				t.Fatalf("%s: %q gave %#v (present %v), error %v: want exactly one", column, s, v, present, failed[column])
			case !present:
				continue
			}
			text, ok := format1(t, column, v, typing, typer)
			if !ok {
				continue
			}
			again, present, errs := typeOne(column, text)
			if !present || len(errs) > 0 || !reflect.DeepEqual(again, v) {
				t.Fatalf("%s: %q gave %#v, written %q, which gives %#v (present %v), %v", column, s, v, text, again, present, errs)
			}
		}
		if i, isInt := got["int"].(int64); isInt {
			if n, isNum := got["num"].(float64); !isNum || float64(i) != n {
				t.Fatalf("%q is the integer %d but the number %#v", s, i, got["num"])
			}
		}
	})
}

// format1 checks that v, typed in column, has the column's type, and writes it as the package
// writes such a value; ok is false when the package defines no way to write it.
func format1(t *testing.T, column string, v any, typing spec.Typing, typer *Typer) (text string, ok bool) {
	t.Helper()
	fail := func() (string, bool) {
		t.Fatalf("%s: typed as %#v", column, v)
		return "", false
	}
	switch column {
	case "int", "nint":
		i, isInt := v.(int64)
		if !isInt {
			return fail()
		}
		return strconv.FormatInt(i, 10), true
	case "num":
		n, isNum := v.(float64)
		if !isNum {
			return fail()
		}
		text, err := asText("", n)
		if err != nil {
			t.Fatal(err)
		}
		if typer.num.decimal == ',' {
			text = strings.Replace(text, ".", ",", 1)
		}
		return text, true
	case "flag":
		b, isBool := v.(bool)
		if !isBool {
			return fail()
		}
		return strconv.FormatBool(b), len(typing.TrueWords) == 0 && len(typing.FalseWords) == 0
	case "day":
		d, isText := v.(string)
		if _, err := time.Parse(time.DateOnly, d); !isText || err != nil {
			return fail()
		}
		return d, true
	case "at":
		d, isText := v.(string)
		if _, err := time.Parse(time.RFC3339Nano, d); !isText || err != nil || !strings.HasSuffix(d, "Z") {
			return fail()
		}
		return d, true
	case "obj", "list":
		_, isObj := v.(map[string]any)
		_, isList := v.([]any)
		if column == "obj" && !isObj || column == "list" && !isList {
			return fail()
		}
		b, err := EncodeJSON(v)
		if err != nil {
			t.Fatalf("%s: %#v does not encode: %v", column, v, err)
		}
		return string(b), true
	}
	if _, isText := v.(string); !isText {
		return fail()
	}
	return fmt.Sprint(v), true
}

// FuzzTypeCell checks that no text makes typing panic, and that every typed value has its
// column's Go type.
func FuzzTypeCell(f *testing.F) {
	for _, s := range []string{"42", "3,0", "1 234,50", "1.234,5", "-1e3", "45293.5", "2024-01-02", "02.01.2024 10:30",
		"2024-01-02T10:30:00+02:00", "ja", `{"a":[1]}`, "1e999", "9223372036854775808", "\u2212.5e-7", "1'234"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	schemaPath := filepath.Join(f.TempDir(), "row.schema.json")
	if err := os.WriteFile(schemaPath, []byte(typingSchema), 0o644); err != nil {
		f.Fatal(err)
	}
	schema, err := schemas.LoadRow(schemaPath)
	if err != nil {
		f.Fatal(err)
	}
	csv, err := NewTyper(&spec.Source{File: "a.csv", Format: "csv", Typing: norsk}, schema)
	if err != nil {
		f.Fatal(err)
	}
	xlsx, err := NewTyper(&spec.Source{File: "a.xlsx", Format: "xlsx", Typing: commaDot}, schema)
	if err != nil {
		f.Fatal(err)
	}
	columns := []string{"int", "num", "flag", "day", "at", "text", "obj", "list", "any", "nint"}
	f.Fuzz(func(t *testing.T, s string, isXLSX bool) {
		typer, dates := csv, readers.NoSerialDates
		if isXLSX {
			typer, dates = xlsx, readers.Excel1904
		}
		values := make([]any, len(columns))
		for i := range values {
			values[i] = s
		}
		got, errs := typer.Type(readers.Row{Columns: columns, Values: values, Dates: dates})
		for _, e := range errs {
			if e.Msg == "" || e.Raw != s {
				t.Errorf("bad CellError %#v", e)
			}
		}
		check := func(column string, ok bool) {
			if v, present := got[column]; present && !ok {
				t.Errorf("%s: %q typed as %#v", column, s, v)
			}
		}
		_, isInt := got["int"].(int64)
		_, isNum := got["num"].(float64)
		_, isBool := got["flag"].(bool)
		day, _ := got["day"].(string)
		_, isDay := time.Parse("2006-01-02", day)
		at, _ := got["at"].(string)
		_, isAt := time.Parse(time.RFC3339Nano, at)
		check("int", isInt)
		check("num", isNum)
		check("flag", isBool)
		check("day", isDay == nil)
		check("at", isAt == nil)
		if v := schema.Validate(got); v != nil {
			t.Errorf("typed row %#v does not validate: %+v", got, v)
		}
	})
}
