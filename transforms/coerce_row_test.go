package transforms

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

func TestTypeRow(t *testing.T) {
	schema := loadTypingSchema(t)
	typer := newTestTyper(t, schema, "csv", norsk)
	row := readers.Row{
		Origin:  readers.Origin{File: "orders.csv", Line: 7},
		Columns: []string{"int", "num", "flag", "day", "at", "text", "extra", "nint"},
		Values:  []any{"1,5", "1 234,50", "ja", "31.02.2024", "02.01.2024 10:30", " Skuffe ", "x"},
	}
	got, errs := typer.Type(row)
	wantRow := map[string]any{"num": 1234.5, "flag": true, "at": "2024-01-02T10:30:00Z", "text": "Skuffe", "extra": "x"}
	if !reflect.DeepEqual(got, wantRow) {
		t.Errorf("row = %#v\nwant  %#v", got, wantRow)
	}
	wantErrs := []CellError{
		{Column: "int", Index: 0, Raw: "1,5", Msg: `"1,5" is not an integer`},
		{Column: "day", Index: 3, Raw: "31.02.2024", Msg: `"31.02.2024" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)`},
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors = %#v\nwant     %#v", errs, wantErrs)
	}
	if got, want := errs[1].Error(), `day: "31.02.2024" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if v := schema.Validate(got); v != nil {
		t.Errorf("typed row does not validate: %+v", v)
	}
}

func TestTypeWithoutSchema(t *testing.T) {
	typer := newTestTyper(t, nil, "csv", dot)
	got, errs := typer.Type(readers.Row{Columns: []string{"a", "b"}, Values: []any{" 1 ", ""}})
	if want := map[string]any{"a": "1"}; !reflect.DeepEqual(got, want) || errs != nil {
		t.Errorf("Type = %#v, %#v; want %#v, no errors", got, errs, want)
	}
}

func TestNewTyperErrors(t *testing.T) {
	tests := []struct {
		name   string
		typing spec.Typing
		want   string
	}{
		{name: "decimal", typing: spec.Typing{Decimal: ";"}, want: `typing: the decimal separator must be "." or ",", not ";"`},
		{name: "decimal equals thousands", typing: spec.Typing{Decimal: ",", Thousands: " ,"}, want: `typing: the decimal separator "," is also a thousands separator`},
		{name: "dot decimal equals thousands", typing: spec.Typing{Thousands: "."}, want: `typing: the decimal separator "." is also a thousands separator`},
		{name: "digit as thousands", typing: spec.Typing{Thousands: "1"}, want: `typing: "1" cannot be a thousands separator`},
		{name: "minus as thousands", typing: spec.Typing{Thousands: "-"}, want: `typing: "-" cannot be a thousands separator`},
		{name: "empty treatment", typing: spec.Typing{Empty: "zero"}, want: `typing: empty must be "absent", "null" or "string", not "zero"`},
		{name: "word both true and false", typing: spec.Typing{TrueWords: []string{"ja", "1"}, FalseWords: []string{"JA"}}, want: `typing: "JA" is both a true word and a false word`},
		{name: "empty word", typing: spec.Typing{TrueWords: []string{" "}}, want: `typing: a boolean word is empty`},
		{name: "date layout without a year", typing: spec.Typing{DateLayouts: []string{"02.01"}}, want: `typing: date layout "02.01" does not read a full date (year, month and day, as in 02.01.2006)`},
		{name: "date layout that is no layout", typing: spec.Typing{DateLayouts: []string{"dd.mm.yyyy"}}, want: `typing: date layout "dd.mm.yyyy" does not read a full date (year, month and day, as in 02.01.2006)`},
		{name: "date-time layout without a clock", typing: spec.Typing{DateTimeLayouts: []string{"02.01.2006"}}, want: `typing: date-time layout "02.01.2006" does not read a full date and time (as in 02.01.2006 15:04)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typer, err := NewTyper(&spec.Source{Name: "s", File: "s.csv", Typing: tt.typing}, nil)
			if err == nil {
				t.Fatalf("NewTyper = %v, want error %q", typer, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\nwant    %q", err, tt.want)
			}
		})
	}
}

func TestTypeConcurrent(t *testing.T) {
	schema := loadTypingSchema(t)
	typer := newTestTyper(t, schema, "xlsx", norsk)
	row := readers.Row{Columns: []string{"int", "num", "day", "at", "obj"}, Values: []any{"3.0", "1 234,5", "45293", "45293.5", `{"a": 1}`}, Dates: readers.Excel1900,
		Kinds: []readers.CellKind{readers.KindNumber, readers.KindText, readers.KindDate, readers.KindDateTime, readers.KindText}}
	want := map[string]any{"int": int64(3), "num": 1234.5, "day": "2024-01-02", "at": "2024-01-02T12:00:00Z", "obj": map[string]any{"a": int64(1)}}
	var wg sync.WaitGroup
	fails := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 200 {
				got, errs := typer.Type(row)
				if errs != nil || !reflect.DeepEqual(got, want) {
					fails <- fmt.Sprintf("%#v %#v", got, errs)
					return
				}
			}
		})
	}
	wg.Wait()
	close(fails)
	for f := range fails {
		t.Errorf("concurrent Type gave %s", f)
	}
}

func TestPlainJSON(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "integer", in: json.Number("12"), want: int64(12)},
		{name: "integral exponent", in: json.Number("1.5e1"), want: int64(15)},
		{name: "float", in: json.Number("-0.25"), want: -0.25},
		{name: "beyond int64", in: json.Number("1e19"), want: 1e19},
		{name: "beyond float64", in: json.Number("1e309"), want: json.Number("1e309")},
		{name: "nested", in: map[string]any{"a": []any{json.Number("1"), map[string]any{"b": json.Number("2.5")}}, "c": "x"},
			want: map[string]any{"a": []any{int64(1), map[string]any{"b": 2.5}}, "c": "x"}},
		{name: "other values", in: "x", want: "x"},
		{name: "nil", in: nil, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainJSON(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PlainJSON(%#v) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
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
