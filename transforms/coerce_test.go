package transforms

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// typingSchema declares one column of each type.
const typingSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "int":  {"type": "integer"},
    "num":  {"type": "number"},
    "flag": {"type": "boolean"},
    "day":  {"type": "string", "format": "date"},
    "at":   {"type": "string", "format": "date-time"},
    "text": {"type": "string"},
    "obj":  {"type": "object"},
    "list": {"type": "array"},
    "any":  {},
    "nint": {"type": ["integer", "null"]}
  }
}`

func loadTypingSchema(t *testing.T) *schemas.RowSchema {
	t.Helper()
	path := filepath.Join(t.TempDir(), "row.schema.json")
	if err := os.WriteFile(path, []byte(typingSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := schemas.LoadRow(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Typing options used by the cases below.
var (
	dot      = spec.Typing{Trim: true}
	comma    = spec.Typing{Trim: true, Decimal: ",", Thousands: " "}
	commaDot = spec.Typing{Trim: true, Decimal: ",", Thousands: "."}
	dotComma = spec.Typing{Trim: true, Decimal: ".", Thousands: ","}
	swiss    = spec.Typing{Trim: true, Thousands: "'"}
	noTrim   = spec.Typing{}
	norsk    = spec.Typing{Trim: true, Decimal: ",", Thousands: " ", DateLayouts: []string{"02.01.2006"},
		DateTimeLayouts: []string{"02.01.2006 15:04"}, TrueWords: []string{"ja", "1"}, FalseWords: []string{"nei", "0"}}
	withClock = spec.Typing{Trim: true, DateLayouts: []string{"02.01.2006 15:04"}}
	compact   = spec.Typing{Trim: true, DateLayouts: []string{"20060102"}}
)

type cellCase struct {
	name   string
	typing spec.Typing
	format string             // csv (default), xlsx or json
	dates  readers.DateSystem // XLSX rows: Excel1900 or Excel1904
	kind   readers.CellKind   // XLSX rows: the cell's kind (text by default)
	column string
	raw    any
	want   any
	absent bool   // the property is left out
	err    string // the CellError's message
	shown  any    // the CellError's Raw, when it is not raw (a date cell's date)
}

func newTestTyper(t *testing.T, schema *schemas.RowSchema, format string, typing spec.Typing) *Typer {
	t.Helper()
	if format == "" {
		format = "csv"
	}
	src := &spec.Source{Name: "src", File: "/data/src." + format, Format: format, Typing: typing}
	typer, err := NewTyper(src, schema)
	if err != nil {
		t.Fatal(err)
	}
	return typer
}

func runCellCases(t *testing.T, cases []cellCase) {
	t.Helper()
	schema := loadTypingSchema(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			typer := newTestTyper(t, schema, tc.format, tc.typing)
			dates := tc.dates
			if tc.format == "xlsx" && dates == readers.NoSerialDates {
				dates = readers.Excel1900
			}
			row := readers.Row{Columns: []string{"first", tc.column}, Values: []any{"x", tc.raw}, Dates: dates}
			if tc.format == "xlsx" {
				row.Kinds = []readers.CellKind{readers.KindText, tc.kind}
			}
			got, errs := typer.Type(row)
			if tc.err != "" {
				shown := tc.raw
				if tc.shown != nil {
					shown = tc.shown
				}
				want := []CellError{{Column: tc.column, Index: 1, Raw: shown, Msg: tc.err}}
				if !reflect.DeepEqual(errs, want) {
					t.Fatalf("errors = %#v\nwant     %#v", errs, want)
				}
				if v, ok := got[tc.column]; ok {
					t.Errorf("a cell that failed is in the row as %#v", v)
				}
				return
			}
			if len(errs) > 0 {
				t.Fatalf("unexpected errors %#v", errs)
			}
			v, ok := got[tc.column]
			if tc.absent {
				if ok {
					t.Errorf("row[%q] = %#v, want it absent", tc.column, v)
				}
				return
			}
			if !ok || !reflect.DeepEqual(v, tc.want) {
				t.Errorf("row[%q] = %#v (present %v), want %#v", tc.column, v, ok, tc.want)
			}
		})
	}
}

func TestTypeInteger(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "plain", typing: dot, column: "int", raw: "42", want: int64(42)},
		{name: "negative", typing: dot, column: "int", raw: "-3", want: int64(-3)},
		{name: "plus sign", typing: dot, column: "int", raw: "+7", want: int64(7)},
		{name: "integral float", typing: dot, column: "int", raw: "3.0", want: int64(3)},
		{name: "integral float, decimal comma", typing: comma, column: "int", raw: "3,0", want: int64(3)},
		{name: "thousands", typing: comma, column: "int", raw: "1 234 567", want: int64(1234567)},
		{name: "exponent", typing: dot, column: "int", raw: "1.5e3", want: int64(1500)},
		{name: "zero with decimals", typing: dot, column: "int", raw: "-0.000", want: int64(0)},
		{name: "largest", typing: dot, column: "int", raw: "9223372036854775807", want: int64(9223372036854775807)},
		{name: "smallest", typing: dot, column: "int", raw: "-9223372036854775808", want: int64(-9223372036854775808)},
		{name: "trimmed", typing: dot, column: "int", raw: " 42\t", want: int64(42)},
		{name: "xlsx stored float", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "int", raw: "3.0", want: int64(3)},
		{name: "xlsx stored float, comma locale", format: "xlsx", kind: readers.KindNumber, typing: commaDot, column: "int", raw: "3.0", want: int64(3)},
		{name: "fraction", typing: dot, column: "int", raw: "3.5", err: `"3.5" is not an integer`},
		{name: "fraction, decimal comma", typing: comma, column: "int", raw: "3,5", err: `"3,5" is not an integer`},
		{name: "tiny fraction", typing: dot, column: "int", raw: "3.0000000000000001", err: `"3.0000000000000001" is not an integer`},
		{name: "negative exponent", typing: dot, column: "int", raw: "5e-1", err: `"5e-1" is not an integer`},
		{name: "text", typing: dot, column: "int", raw: "12x", err: `"12x" is not an integer`},
		{name: "too large", typing: dot, column: "int", raw: "9223372036854775808", err: `"9223372036854775808" is out of range for an integer`},
		{name: "exponent far too small", typing: dot, column: "int", raw: "1e-99999999999999999999", err: `"1e-99999999999999999999" is not an integer`},
		{name: "zero with a huge exponent", typing: dot, column: "int", raw: "0.0e99999999999999999999", want: int64(0)},
		{name: "exponent too large", typing: dot, column: "int", raw: "1e30", err: `"1e30" is out of range for an integer`},
		{name: "not trimmed", typing: noTrim, column: "int", raw: " 42", err: `" 42" is not an integer`},
		{name: "ambiguous comma", typing: dot, column: "int", raw: "1,000", err: `"1,000" is not an integer`},
	})
}

func TestTypeNumber(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "plain", typing: dot, column: "num", raw: "2.5", want: 2.5},
		{name: "integer text", typing: dot, column: "num", raw: "2", want: 2.0},
		{name: "decimal comma, space thousands", typing: comma, column: "num", raw: "1 234,50", want: 1234.5},
		{name: "no-break space thousands", typing: comma, column: "num", raw: "1\u00a0234,50", want: 1234.5},
		{name: "narrow no-break space thousands", typing: comma, column: "num", raw: "1\u202f234\u202f567,5", want: 1234567.5},
		{name: "dot thousands", typing: commaDot, column: "num", raw: "1.234,50", want: 1234.5},
		{name: "dot thousands, millions", typing: commaDot, column: "num", raw: "-1.234.567,25", want: -1234567.25},
		{name: "comma thousands", typing: dotComma, column: "num", raw: "1,234.5", want: 1234.5},
		{name: "apostrophe thousands", typing: swiss, column: "num", raw: "1'234.75", want: 1234.75},
		{name: "no thousands in a short number", typing: comma, column: "num", raw: "234,5", want: 234.5},
		{name: "exponent", typing: dot, column: "num", raw: "1.5e3", want: 1500.0},
		{name: "exponent, decimal comma", typing: comma, column: "num", raw: "1,5E-2", want: 0.015},
		{name: "signed exponent", typing: dot, column: "num", raw: "-2.5e+2", want: -250.0},
		{name: "unicode minus", typing: comma, column: "num", raw: "\u22124,5", want: -4.5},
		{name: "leading decimal point", typing: dot, column: "num", raw: ".5", want: 0.5},
		{name: "xlsx stored number, comma locale", format: "xlsx", kind: readers.KindNumber, typing: comma, column: "num", raw: "1234.5", want: 1234.5},
		{name: "xlsx text, comma locale", format: "xlsx", typing: comma, column: "num", raw: "1 234,5", want: 1234.5},
		{name: "xlsx stored exponent", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "num", raw: "1.2345E-5", want: 1.2345e-5},
		{name: "bad text", typing: comma, column: "num", raw: "12,5x", err: `"12,5x" is not a number (decimal separator ",")`},
		{name: "dot where comma is the separator", typing: comma, column: "num", raw: "3.5", err: `"3.5" is not a number (decimal separator ",")`},
		{name: "comma is ambiguous", typing: dot, column: "num", raw: "1,5", err: `"1,5" is not a number (decimal separator "."; a "," is ambiguous)`},
		{name: "dot as thousands needs groups of three", typing: commaDot, column: "num", raw: "3.5", err: `"3.5" is not a number (decimal separator ",")`},
		{name: "bad grouping", typing: comma, column: "num", raw: "1 23,5", err: `"1 23,5" is not a number (decimal separator ",")`},
		{name: "first group too long", typing: comma, column: "num", raw: "1234 567", err: `"1234 567" is not a number (decimal separator ",")`},
		{name: "trailing space is trimmed", typing: comma, column: "num", raw: "1 234 ", want: 1234.0},
		{name: "trailing separator", typing: commaDot, column: "num", raw: "1.234.", err: `"1.234." is not a number (decimal separator ",")`},
		{name: "leading separator", typing: commaDot, column: "num", raw: ".234", err: `".234" is not a number (decimal separator ",")`},
		{name: "separator in the fraction", typing: comma, column: "num", raw: "1,234 5", err: `"1,234 5" is not a number (decimal separator ",")`},
		{name: "space without a thousands separator", typing: dot, column: "num", raw: "1 234", err: `"1 234" is not a number (decimal separator ".")`},
		{name: "two decimal separators", typing: dot, column: "num", raw: "1.2.3", err: `"1.2.3" is not a number (decimal separator ".")`},
		{name: "NaN", typing: dot, column: "num", raw: "NaN", err: `"NaN" is not a number (decimal separator ".")`},
		{name: "Inf", typing: dot, column: "num", raw: "Inf", err: `"Inf" is not a number (decimal separator ".")`},
		{name: "hex", typing: dot, column: "num", raw: "0x10", err: `"0x10" is not a number (decimal separator ".")`},
		{name: "underscores", typing: dot, column: "num", raw: "1_000", err: `"1_000" is not a number (decimal separator ".")`},
		{name: "exponent without digits", typing: dot, column: "num", raw: "5e", err: `"5e" is not a number (decimal separator ".")`},
		{name: "exponent without mantissa", typing: dot, column: "num", raw: "e5", err: `"e5" is not a number (decimal separator ".")`},
		{name: "sign only", typing: dot, column: "num", raw: "-", err: `"-" is not a number (decimal separator ".")`},
		{name: "overflow", typing: dot, column: "num", raw: "1e999", err: `"1e999" is out of range for a number`},
	})
}

func TestTypeBoolean(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "true", typing: dot, column: "flag", raw: "true", want: true},
		{name: "YES", typing: dot, column: "flag", raw: "YES", want: true},
		{name: "y", typing: dot, column: "flag", raw: "y", want: true},
		{name: "1", typing: dot, column: "flag", raw: "1", want: true},
		{name: "False", typing: dot, column: "flag", raw: "False", want: false},
		{name: "no", typing: dot, column: "flag", raw: " no ", want: false},
		{name: "N", typing: dot, column: "flag", raw: "N", want: false},
		{name: "xlsx boolean cell", format: "xlsx", kind: readers.KindBool, typing: dot, column: "flag", raw: "FALSE", want: false},
		{name: "xlsx number 1 in a boolean column", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "flag", raw: "1", want: true},
		{name: "xlsx number 2 in a boolean column", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "flag", raw: "2",
			err: `the cell holds the number 2, not a boolean (expected true, yes, y, 1, false, no, n, 0)`},
		{name: "xlsx date in a boolean column", format: "xlsx", kind: readers.KindDate, typing: dot, column: "flag", raw: "45293",
			err: `the cell holds the date 2024-01-02, not a boolean`, shown: "2024-01-02"},
		{name: "custom word", typing: norsk, column: "flag", raw: "Ja", want: true},
		{name: "custom false word", typing: norsk, column: "flag", raw: "NEI", want: false},
		{name: "default word not in the custom list", typing: norsk, column: "flag", raw: "yes", err: `"yes" is not a boolean (expected ja, 1, nei, 0)`},
		{name: "unknown word", typing: dot, column: "flag", raw: "maybe", err: `"maybe" is not a boolean (expected true, yes, y, 1, false, no, n, 0)`},
	})
}

func TestTypeDate(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "ISO", typing: dot, column: "day", raw: "2024-01-02", want: "2024-01-02"},
		{name: "layout", typing: norsk, column: "day", raw: "02.01.2024", want: "2024-01-02"},
		{name: "ISO before the layouts", typing: norsk, column: "day", raw: "2024-02-29", want: "2024-02-29"},
		{name: "no such day", typing: norsk, column: "day", raw: "31.02.2024", err: `"31.02.2024" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)`},
		{name: "not ISO", typing: dot, column: "day", raw: "2024-1-2", err: `"2024-1-2" is not a date (expected YYYY-MM-DD)`},
		{name: "layout with a clock at midnight", typing: withClock, column: "day", raw: "02.01.2024 00:00", want: "2024-01-02"},
		{name: "layout with a time of day", typing: withClock, column: "day", raw: "02.01.2024 10:30", err: `"02.01.2024 10:30" has a time of day (10:30:00) but the column is a date`},
		{name: "CSV number is no serial", typing: dot, column: "day", raw: "45293", err: `"45293" is not a date (expected YYYY-MM-DD)`},
		{name: "Excel 1900 serial", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "45293", want: "2024-01-02"},
		{name: "Excel 1904 serial", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1904, typing: dot, column: "day", raw: "43831", want: "2024-01-02"},
		{name: "Excel 1900 serial before the leap-year bug", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "59", want: "1900-02-28"},
		{name: "Excel 1900 serial, stored as a float", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "45293.0", want: "2024-01-02"},
		{name: "Excel serial with a time of day", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "45293.5",
			err: `the cell holds 2024-01-02 12:00:00, which has a time of day, but the column is a date`, shown: "2024-01-02 12:00:00"},
		{name: "Excel 1904 serial past 9999", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1904, typing: dot, column: "day", raw: "2958465",
			err: `the cell holds a date that is after 9999-12-31, the last day Excel shows (serial 2958465)`},
		{name: "negative Excel serial", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "-1", err: `the cell holds a date that is a negative Excel serial (-1)`},
		{name: "Excel 1900 serial 60, the day that never was", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1900, typing: dot, column: "day", raw: "60",
			err: `the cell holds a date that Excel shows as 1900-02-29, a day that never was (serial 60)`},
		{name: "Excel 1904 serial 60", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1904, typing: dot, column: "day", raw: "60", want: "1904-03-01"},
		{name: "xlsx text date", format: "xlsx", typing: norsk, column: "day", raw: "02.01.2024", want: "2024-01-02"},
		{name: "xlsx date cell as ISO date-time", format: "xlsx", kind: readers.KindDateTime, typing: dot, column: "day", raw: "2024-01-02T00:00:00Z", want: "2024-01-02"},
		{name: "xlsx numeric text in a compact layout", format: "xlsx", typing: compact, column: "day", raw: "20240102", want: "2024-01-02"},
		{name: "xlsx text that is no date", format: "xlsx", typing: dot, column: "day", raw: "soon", err: `"soon" is not a date (expected YYYY-MM-DD)`},
		{name: "xlsx plain number is no date", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "day", raw: "45000",
			err: `the cell holds the number 45000, not a date (the cell is not formatted as a date)`},
		{name: "xlsx numeric text is no date", format: "xlsx", typing: norsk, column: "day", raw: "45000",
			err: `"45000" is a number written as text, not a date (expected YYYY-MM-DD or DD.MM.YYYY)`},
		{name: "xlsx text NaN is no number", format: "xlsx", typing: dot, column: "day", raw: "NaN", err: `"NaN" is not a date (expected YYYY-MM-DD)`},
		{name: "xlsx boolean is no date", format: "xlsx", kind: readers.KindBool, typing: dot, column: "day", raw: "TRUE", err: `the cell holds the boolean TRUE, not a date`},
		{name: "xlsx formula error in a date column", format: "xlsx", kind: readers.KindError, typing: dot, column: "day", raw: "#N/A", err: `the cell holds the formula error #N/A`},
	})
}

func TestTypeDateTime(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "RFC 3339 UTC", typing: dot, column: "at", raw: "2024-01-02T10:30:00Z", want: "2024-01-02T10:30:00Z"},
		{name: "RFC 3339 with offset, to UTC", typing: dot, column: "at", raw: "2024-01-02T10:30:00+02:00", want: "2024-01-02T08:30:00Z"},
		{name: "RFC 3339 fraction", typing: dot, column: "at", raw: "2024-01-02T10:30:00.250Z", want: "2024-01-02T10:30:00.25Z"},
		{name: "space, no zone, as UTC", typing: dot, column: "at", raw: "2024-01-02 10:30:00", want: "2024-01-02T10:30:00Z"},
		{name: "T, no zone, as UTC", typing: dot, column: "at", raw: "2024-01-02T10:30:00", want: "2024-01-02T10:30:00Z"},
		{name: "space with zone", typing: dot, column: "at", raw: "2024-01-02 10:30:00-01:00", want: "2024-01-02T11:30:00Z"},
		{name: "fraction without zone", typing: dot, column: "at", raw: "2024-01-02 10:30:00.5", want: "2024-01-02T10:30:00.5Z"},
		{name: "layout", typing: norsk, column: "at", raw: "02.01.2024 10:30", want: "2024-01-02T10:30:00Z"},
		{name: "Excel 1900 serial with a fraction", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1900, typing: dot, column: "at", raw: "45293.75", want: "2024-01-02T18:00:00Z"},
		{name: "Excel 1900 serial, one second", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1900, typing: dot, column: "at", raw: "45293.0000115741", want: "2024-01-02T00:00:01Z"},
		{name: "Excel 1904 serial with a fraction", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1904, typing: dot, column: "at", raw: "43831.25", want: "2024-01-02T06:00:00Z"},
		{name: "Excel whole day", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1900, typing: dot, column: "at", raw: "45293", want: "2024-01-02T00:00:00Z"},
		{name: "past 9999 in UTC", typing: dot, column: "at", raw: "9999-12-31T23:59:59-01:00",
			err: `"9999-12-31T23:59:59-01:00" is not a date-time (in UTC it falls outside the years 0000 to 9999)`},
		{name: "before 0000 in UTC", typing: dot, column: "at", raw: "0000-01-01 00:00:00+00:01",
			err: `"0000-01-01 00:00:00+00:01" is not a date-time (in UTC it falls outside the years 0000 to 9999)`},
		{name: "Excel 1904 serial past 9999", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1904, typing: dot, column: "at", raw: "2958465.5",
			err: `the cell holds a date that is after 9999-12-31, the last day Excel shows (serial 2958465.5)`},
		{name: "Excel serial with milliseconds", format: "xlsx", kind: readers.KindDateTime, typing: dot, column: "at", raw: "45293.500001423611", want: "2024-01-02T12:00:00.123Z"},
		{name: "Excel 1904 serial with milliseconds", format: "xlsx", kind: readers.KindDateTime, dates: readers.Excel1904, typing: dot, column: "at", raw: "43831.999988425923", want: "2024-01-02T23:59:59Z"},
		{name: "Excel serial just before midnight", format: "xlsx", kind: readers.KindDateTime, typing: dot, column: "at", raw: "45293.999999988424", want: "2024-01-02T23:59:59.999Z"},
		{name: "xlsx plain number is no date-time", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "at", raw: "45000.5",
			err: `the cell holds the number 45000.5, not a date-time (the cell is not formatted as a date)`},
		{name: "not a date-time", typing: dot, column: "at", raw: "soon", err: `"soon" is not a date-time (expected RFC 3339 or YYYY-MM-DD hh:mm:ss)`},
		{name: "not a date-time, with layouts", typing: norsk, column: "at", raw: "2024-01-02", err: `"2024-01-02" is not a date-time (expected RFC 3339, YYYY-MM-DD hh:mm:ss or DD.MM.YYYY hh:mm)`},
	})
}

func TestTypeTextAndJSONColumns(t *testing.T) {
	runCellCases(t, []cellCase{
		{name: "string trimmed", typing: dot, column: "text", raw: "  Pump  ", want: "Pump"},
		{name: "string not trimmed", typing: noTrim, column: "text", raw: "  Pump  ", want: "  Pump  "},
		{name: "xlsx number in a string column", format: "xlsx", kind: readers.KindNumber, typing: comma, column: "text", raw: "2", want: "2"},
		{name: "xlsx number in a string column, shortest decimal", format: "xlsx", kind: readers.KindNumber, typing: comma, column: "text", raw: "0.10000000000000001", want: "0.1"},
		{name: "xlsx large number in a string column", format: "xlsx", kind: readers.KindNumber, typing: dot, column: "text", raw: "1.2345678901234E+20", want: "123456789012340000000"},
		{name: "xlsx date in a string column", format: "xlsx", kind: readers.KindDate, typing: dot, column: "text", raw: "45293", want: "2024-01-02"},
		{name: "xlsx 1904 date in a string column", format: "xlsx", kind: readers.KindDate, dates: readers.Excel1904, typing: dot, column: "text", raw: "43831", want: "2024-01-02"},
		{name: "xlsx date with a time in a string column", format: "xlsx", kind: readers.KindDate, typing: dot, column: "text", raw: "45293.75", want: "2024-01-02T18:00:00Z"},
		{name: "xlsx date-time at midnight in a string column", format: "xlsx", kind: readers.KindDateTime, typing: dot, column: "text", raw: "45293", want: "2024-01-02T00:00:00Z"},
		{name: "xlsx boolean in a string column", format: "xlsx", kind: readers.KindBool, typing: dot, column: "text", raw: "TRUE", want: "TRUE"},
		{name: "xlsx boolean in an undeclared column", format: "xlsx", kind: readers.KindBool, typing: dot, column: "extra", raw: "FALSE", want: "FALSE"},
		{name: "xlsx formula error in a string column", format: "xlsx", kind: readers.KindError, typing: dot, column: "text", raw: "#DIV/0!", err: `the cell holds the formula error #DIV/0!`},
		{name: "xlsx formula error in an undeclared column", format: "xlsx", kind: readers.KindError, typing: dot, column: "extra", raw: "#REF!", err: `the cell holds the formula error #REF!`},
		{name: "string that looks like a number", typing: dot, column: "text", raw: "007", want: "007"},
		{name: "untyped column", typing: dot, column: "any", raw: " 1,5 ", want: "1,5"},
		{name: "column not in the schema", typing: dot, column: "extra", raw: " 7 ", want: "7"},
		{name: "object", typing: dot, column: "obj", raw: `{"a": 1, "b": [1.5, "x"]}`, want: map[string]any{"a": int64(1), "b": []any{1.5, "x"}}},
		{name: "array", typing: dot, column: "list", raw: `[1, {"c": 2e0}]`, want: []any{int64(1), map[string]any{"c": int64(2)}}},
		{name: "array in an object column", typing: dot, column: "obj", raw: `[1,2]`, err: `"[1,2]" is not a JSON object`},
		{name: "object in an array column", typing: dot, column: "list", raw: `{}`, err: `"{}" is not a JSON array`},
		{name: "not JSON", typing: dot, column: "list", raw: `a, b`, err: `"a, b" is not a JSON array`},
		{name: "two JSON values", typing: dot, column: "list", raw: `[1] [2]`, err: `"[1] [2]" is not a JSON array`},
	})
}

func TestTypeEmpty(t *testing.T) {
	var cases []cellCase
	for _, column := range []string{"int", "num", "flag", "day", "at", "text", "obj", "list", "any", "nint", "extra"} {
		for _, raw := range []string{"", "  \u00a0"} {
			for _, empty := range []string{"", spec.EmptyAbsent, spec.EmptyNull, spec.EmptyString} {
				c := cellCase{name: fmt.Sprintf("%s %q empty=%s", column, raw, empty), column: column, raw: raw,
					typing: spec.Typing{Trim: true, Empty: empty}}
				switch empty {
				case spec.EmptyNull:
					c.want = nil
				case spec.EmptyString:
					c.want = ""
				default:
					c.absent = true
				}
				cases = append(cases, c)
			}
		}
	}
	cases = append(cases,
		cellCase{name: "xlsx blank cell", format: "xlsx", column: "day", raw: "", typing: dot, absent: true},
		cellCase{name: "blank not trimmed is no empty cell", column: "int", raw: " ", typing: noTrim, err: `" " is not an integer`},
	)
	runCellCases(t, cases)
}

func TestTypeJSONValues(t *testing.T) {
	in := map[string]any{"n": json.Number("2"), "f": json.Number("2.5"), "deep": []any{json.Number("1e2"), true, nil}}
	runCellCases(t, []cellCase{
		{name: "integer", format: "json", column: "int", raw: json.Number("42"), want: int64(42)},
		{name: "integral float in an integer column", format: "json", column: "int", raw: json.Number("3.0"), want: int64(3)},
		{name: "fraction in an integer column", format: "json", column: "int", raw: json.Number("3.5"), err: "3.5 is not an integer"},
		{name: "huge integer", format: "json", column: "int", raw: json.Number("123456789012345678901"), err: "123456789012345678901 is out of range for an integer"},
		{name: "integer in a number column", format: "json", column: "num", raw: json.Number("2"), want: 2.0},
		{name: "number overflow", format: "json", column: "num", raw: json.Number("1e400"), err: "1e400 is out of range for a number"},
		{name: "integer in a string column", format: "json", column: "text", raw: json.Number("7"), want: int64(7)},
		{name: "float in an untyped column", format: "json", column: "any", raw: json.Number("2.5"), want: 2.5},
		{name: "overflow in an untyped column stays exact", format: "json", column: "any", raw: json.Number("1e400"), want: json.Number("1e400")},
		{name: "number in a column not in the schema", format: "json", column: "extra", raw: json.Number("10"), want: int64(10)},
		{name: "boolean", format: "json", column: "flag", raw: true, want: true},
		{name: "boolean in a string column is kept", format: "json", column: "text", raw: false, want: false},
		{name: "object with numbers", format: "json", column: "obj", raw: in,
			want: map[string]any{"n": int64(2), "f": 2.5, "deep": []any{int64(100), true, nil}}},
		{name: "array", format: "json", column: "list", raw: []any{json.Number("1"), "a"}, want: []any{int64(1), "a"}},
		{name: "string in an integer column", format: "json", typing: dot, column: "int", raw: " 42 ", want: int64(42)},
		{name: "string with locale in a number column", format: "json", typing: comma, column: "num", raw: "1 234,5", want: 1234.5},
		{name: "string in a date column", format: "json", typing: norsk, column: "day", raw: "02.01.2024", want: "2024-01-02"},
		{name: "string in a boolean column", format: "json", typing: dot, column: "flag", raw: "yes", want: true},
		{name: "string in a string column is exact", format: "json", typing: dot, column: "text", raw: "  x ", want: "  x "},
		{name: "empty string in a string column is kept", format: "json", typing: dot, column: "text", raw: "", want: ""},
		{name: "empty string in an integer column", format: "json", typing: dot, column: "int", raw: "", absent: true},
		{name: "bad string in an integer column", format: "json", typing: dot, column: "int", raw: "x", err: `"x" is not an integer`},
		{name: "null in a nullable column", format: "json", column: "nint", raw: nil, want: nil},
		{name: "null elsewhere is an empty cell", format: "json", column: "int", raw: nil, absent: true},
		{name: "null elsewhere, empty=null", format: "json", typing: spec.Typing{Empty: spec.EmptyNull}, column: "text", raw: nil, want: nil},
		{name: "float64", format: "json", column: "int", raw: 4.0, want: int64(4)},
		{name: "int", format: "json", column: "num", raw: 4, want: 4.0},
		{name: "infinity", format: "json", column: "num", raw: math.Inf(1), err: "+Inf is not a finite number"},
		{name: "unsupported Go type", format: "json", column: "any", raw: struct{}{}, err: "has a value of an unsupported type struct {}"},
	})
	if _, ok := in["n"].(json.Number); !ok {
		t.Error("typing modified the source's map")
	}
}
