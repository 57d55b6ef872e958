package transforms

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// CellError is a cell that could not be typed as its column's schema type. The cell is left out
// of the typed row.
type CellError struct {
	Column string
	Index  int // 0-based index of the column in readers.Row.Columns
	Raw    any // the value as the source gave it; for an XLSX date cell, the date its serial stands for
	// Msg shows the raw value and what was expected, without the column name:
	// `"12,5x" is not a number (decimal separator ",")`.
	Msg string
}

func (e CellError) Error() string { return e.Column + ": " + e.Msg }

// Typer turns a source's rows into typed rows for validation and mapping, as the source's row
// schema declares each column (see schemas.Column) and as the source's typing options say how
// text is written. A Typer is immutable: Type is safe for concurrent use.
type Typer struct {
	columns map[string]schemas.Column
	json    bool // a JSON source: values arrive typed, strings in string columns are kept as they are
	xlsx    bool // an XLSX source: text is a cell's kind among others, and messages say so
	empty   string
	trim    bool
	num     numberFormat
	bools   boolWords
	dates   layouts
}

// NewTyper prepares typing for one source. schema may be nil (every column is then kept as it
// is). Defaults: empty cells absent, decimal ".", no thousands separator, the boolean words
// true/yes/y/1 and false/no/n/0. Bad typing options are an error: an unknown empty treatment, a
// decimal separator other than "." or ",", a thousands separator that is a digit, a sign or the
// decimal separator, a boolean word that is both true and false, a date layout without year,
// month and day.
func NewTyper(src *spec.Source, schema *schemas.RowSchema) (*Typer, error) {
	tp := src.Typing
	t := &Typer{columns: map[string]schemas.Column{}, empty: tp.Empty, trim: tp.Trim}
	if schema != nil {
		for _, c := range schema.Columns() {
			t.columns[c.Name] = c
		}
	}
	format, _ := readers.Format(src) // an unknown format is readers.Open's error to report
	switch strings.ToLower(format) {
	case "json", "jsonl":
		t.json = true
	case "xlsx":
		t.xlsx = true
	}
	switch t.empty {
	case "":
		t.empty = spec.EmptyAbsent
	case spec.EmptyAbsent, spec.EmptyNull, spec.EmptyString:
	default:
		return nil, fmt.Errorf("typing: empty must be %q, %q or %q, not %q", spec.EmptyAbsent, spec.EmptyNull, spec.EmptyString, tp.Empty)
	}
	var err error
	if t.num, err = newNumberFormat(tp.Decimal, tp.Thousands); err != nil {
		return nil, fmt.Errorf("typing: %w", err)
	}
	if t.bools, err = newBoolWords(tp.TrueWords, tp.FalseWords); err != nil {
		return nil, fmt.Errorf("typing: %w", err)
	}
	if t.dates, err = newLayouts(tp.DateLayouts, tp.DateTimeLayouts); err != nil {
		return nil, fmt.Errorf("typing: %w", err)
	}
	return t, nil
}

// Type returns the row as a JSON object typed by the schema, and a CellError for each value that
// could not be typed (left out of the object). Text cells (CSV, XLSX, and strings in typed columns
// of JSON sources) are trimmed when the typing says so; an empty one becomes absent, null or ""
// as Typing.Empty says, whatever the column's type. Then, by column type:
//
//   - integer: a number in the source's locale whose value is integral ("3", "3.0", "3,0") ->
//     int64; number: -> float64 (decimal and thousands separators as declared, exponents allowed);
//   - boolean: one of the true or false words, case-insensitive -> bool;
//   - date: 2006-01-02, then each date layout -> "2006-01-02";
//   - date-time: RFC 3339, "2006-01-02 15:04:05" or "2006-01-02T15:04:05", then each date-time
//     layout -> RFC 3339 in UTC ("2024-01-02T10:30:00Z"). A value without a zone is taken to be
//     UTC, since JSON Schema's date-time requires an offset;
//   - object, array: JSON text -> the decoded value;
//   - string, any other or undeclared column: the text as it is.
//
// XLSX cells that are not text (numbers, dates, booleans, formula errors) are typed by their
// kind, as cell describes: a number is never a date, a date cell becomes an ISO date or RFC 3339
// date-time in the workbook's date system, a formula error is always an error.
//
// Values of JSON sources: json.Number -> int64 in integer columns (an error if not integral),
// float64 in number columns, elsewhere int64 when integral and float64 otherwise; objects and
// arrays are kept with their numbers converted the same way (see PlainJSON); booleans are kept;
// null stays null in a nullable column and is otherwise treated as an empty cell.
func (t *Typer) Type(row readers.Row) (map[string]any, []CellError) {
	out := make(map[string]any, len(row.Columns))
	var errs []CellError
	for i, name := range row.Columns {
		if i >= len(row.Values) {
			// A short (ragged) row: the missing cells are empty.
			if v, keep, _ := t.emptyValue(); keep {
				out[name] = v
			}
			continue
		}
		raw := row.Values[i]
		col, ok := t.columns[name]
		if !ok {
			col = schemas.Column{Name: name} // kept as it is
		}
		v, keep, msg := t.value(col, raw, row.Kind(i), row.Dates)
		if msg != "" {
			errs = append(errs, CellError{Column: name, Index: i, Raw: shownValue(raw, row.Kind(i), row.Dates), Msg: msg})
			continue
		}
		if keep {
			out[name] = v
		}
	}
	return out, errs
}

// value types one value; keep is false when the property is to be absent, msg is non-empty when
// the value cannot be typed.
func (t *Typer) value(col schemas.Column, raw any, kind readers.CellKind, dates readers.DateSystem) (v any, keep bool, msg string) {
	switch x := raw.(type) {
	case string:
		if t.json && !typedColumn(col.Type) {
			return x, true, "" // JSON text in a string column: exactly as the document has it
		}
		if kind != readers.KindText && x != "" {
			return t.cell(col, x, kind, dates)
		}
		return t.text(col, x, raw)
	case nil:
		if col.Nullable {
			return nil, true, ""
		}
		return t.emptyValue()
	case json.Number:
		return numberValue(col.Type, x)
	case bool:
		return x, true, ""
	case map[string]any, []any:
		return PlainJSON(x), true, ""
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false, fmt.Sprintf("%v is not a finite number", x)
		}
		return numberValue(col.Type, json.Number(strconv.FormatFloat(x, 'g', -1, 64)))
	case int:
		return numberValue(col.Type, json.Number(strconv.Itoa(x)))
	case int64:
		return numberValue(col.Type, json.Number(strconv.FormatInt(x, 10)))
	}
	return nil, false, fmt.Sprintf("has a value of an unsupported type %T", raw)
}

// typedColumn reports whether text in a column of this type is converted to another value.
func typedColumn(typ string) bool {
	switch typ {
	case schemas.TypeInteger, schemas.TypeNumber, schemas.TypeBoolean, schemas.TypeDate, schemas.TypeDateTime,
		schemas.TypeObject, schemas.TypeArray:
		return true
	}
	return false
}

// emptyValue is what an empty cell becomes.
func (t *Typer) emptyValue() (any, bool, string) {
	switch t.empty {
	case spec.EmptyNull:
		return nil, true, ""
	case spec.EmptyString:
		return "", true, ""
	}
	return nil, false, ""
}

// text types a text cell: a CSV cell, an XLSX text cell, a JSON string in a typed column. cell
// is raw as the row holds it; a value equal to raw is returned as cell, which saves allocating
// it again.
func (t *Typer) text(col schemas.Column, raw string, cell any) (any, bool, string) {
	s := raw
	if t.trim {
		s = strings.TrimSpace(s)
	}
	if s == "" {
		return t.emptyValue()
	}
	switch col.Type {
	case schemas.TypeInteger:
		canon, ok := t.num.canonical(s)
		if !ok {
			return nil, false, strconv.Quote(raw) + " is not an integer"
		}
		n, err := integerOf(canon)
		if err != nil {
			return nil, false, strconv.Quote(raw) + " " + err.Error()
		}
		return n, true, ""
	case schemas.TypeNumber:
		canon, ok := t.num.canonical(s)
		if !ok {
			return nil, false, strconv.Quote(raw) + " is not a number " + t.num.hint(s)
		}
		f, err := floatOf(canon)
		if err != nil {
			return nil, false, strconv.Quote(raw) + " " + err.Error()
		}
		return f, true, ""
	case schemas.TypeBoolean:
		if b, ok := t.bools.parse(s); ok {
			return b, true, ""
		}
		return nil, false, strconv.Quote(raw) + " is not a boolean (expected " + t.bools.hint() + ")"
	case schemas.TypeDate:
		d, ok, msg := t.dates.date(s, raw, t.xlsx)
		return sameText(d, ok, msg, raw, cell)
	case schemas.TypeDateTime:
		d, ok, msg := t.dates.dateTime(s, raw, t.xlsx)
		return sameText(d, ok, msg, raw, cell)
	case schemas.TypeObject, schemas.TypeArray:
		return jsonText(col.Type, s, strconv.Quote(raw))
	}
	if len(s) == len(raw) { // not trimmed: the cell as it is
		return cell, true, ""
	}
	return s, true, ""
}

// sameText returns cell in place of a typed text equal to raw.
func sameText(typed string, keep bool, msg string, raw string, cell any) (any, bool, string) {
	if !keep {
		return nil, false, msg
	}
	if typed == raw {
		return cell, true, ""
	}
	return typed, true, ""
}
