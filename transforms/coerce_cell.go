package transforms

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
)

// cell types a spreadsheet cell that is not text, as its kind says (see readers.CellKind); s is
// the cell's value as the reader gives it. The column's type decides what is accepted:
//
//   - a formula error is an error whatever the column;
//   - a boolean is a boolean in a boolean column, "TRUE" or "FALSE" in a string (or undeclared)
//     column, and an error elsewhere;
//   - a number is a number in a number or integer column, its shortest exact decimal in a string
//     column, one of the boolean words in a boolean column, and an error in a date, date-time,
//     object or array column: a plain number is no date, however near a serial it is;
//   - a date cell is its ISO date in a date column (an error when it has a time of day), its
//     RFC 3339 date-time in a date-time column, its ISO date (or date-time, when it has a time or
//     a format that shows one) in a string column, and an error elsewhere.
func (t *Typer) cell(col schemas.Column, s string, kind readers.CellKind, dates readers.DateSystem) (any, bool, string) {
	switch kind {
	case readers.KindError:
		return nil, false, "the cell holds the formula error " + s
	case readers.KindBool:
		switch col.Type {
		case schemas.TypeBoolean:
			return s == "TRUE", true, ""
		case schemas.TypeString, "":
			return s, true, ""
		}
		return nil, false, fmt.Sprintf("the cell holds the boolean %s, not %s", s, typeNoun(col.Type))
	case readers.KindNumber:
		return t.numberCell(col, s)
	case readers.KindDate, readers.KindDateTime:
		tm, err := cellTime(s, dates)
		if err != nil {
			return nil, false, "the cell holds a date that " + err.Error()
		}
		shown := showTime(tm)
		switch col.Type {
		case schemas.TypeDate:
			if !isMidnight(tm) {
				return nil, false, fmt.Sprintf("the cell holds %s, which has a time of day, but the column is a date", shown)
			}
			return tm.Format(typedDate), true, ""
		case schemas.TypeDateTime:
			return tm.Format(typedDateTime), true, ""
		case schemas.TypeString, "":
			if kind == readers.KindDate && isMidnight(tm) {
				return tm.Format(typedDate), true, ""
			}
			return tm.Format(typedDateTime), true, ""
		}
		return nil, false, fmt.Sprintf("the cell holds the date %s, not %s", shown, typeNoun(col.Type))
	}
	return s, true, ""
}

// numberCell types a number cell.
func (t *Typer) numberCell(col schemas.Column, s string) (any, bool, string) {
	switch col.Type {
	case schemas.TypeInteger:
		n, err := integerOf(s)
		if err != nil {
			return nil, false, "the cell holds the number " + shortestDecimal(s) + ", which " + err.Error()
		}
		return n, true, ""
	case schemas.TypeNumber:
		f, err := floatOf(s)
		if err == nil && math.IsNaN(f) {
			err = errNotPlainNumber
		}
		if err != nil {
			return nil, false, "the cell holds the number " + s + ", which " + err.Error()
		}
		return f, true, ""
	case schemas.TypeBoolean:
		if b, ok := t.bools.parse(shortestDecimal(s)); ok {
			return b, true, ""
		}
		return nil, false, fmt.Sprintf("the cell holds the number %s, not a boolean (expected %s)", shortestDecimal(s), t.bools.hint())
	case schemas.TypeDate, schemas.TypeDateTime:
		return nil, false, fmt.Sprintf("the cell holds the number %s, not %s (the cell is not formatted as a date)", shortestDecimal(s), typeNoun(col.Type))
	case schemas.TypeObject, schemas.TypeArray:
		return nil, false, fmt.Sprintf("the cell holds the number %s, not %s", shortestDecimal(s), typeNoun(col.Type))
	}
	return shortestDecimal(s), true, ""
}

// typeNoun names what a column of the type holds, for messages: "a number", "a date".
func typeNoun(typ string) string {
	switch typ {
	case schemas.TypeInteger:
		return "an integer"
	case schemas.TypeNumber:
		return "a number"
	case schemas.TypeBoolean:
		return "a boolean"
	case schemas.TypeDate:
		return "a date"
	case schemas.TypeDateTime:
		return "a date-time"
	case schemas.TypeObject:
		return "a JSON object"
	case schemas.TypeArray:
		return "a JSON array"
	}
	return "a " + typ
}

// shortestDecimal writes a stored number as the shortest decimal that reads back as the same
// float64 ("0.1" for "0.10000000000000001"), without an exponent below 1e21.
func shortestDecimal(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return s
	}
	if f == 0 {
		return "0" // and not "-0"
	}
	if a := math.Abs(f); a >= 1e21 || a < 1e-6 {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Epochs of the two date systems. In the 1900 system serial 1 is 1900-01-01, and Excel counts
// a 29 February 1900 that never was (serial 60), so from serial 61 on, a serial counts from
// 1899-12-30; in the 1904 system serial 0 is 1904-01-01.
var (
	epoch1900     = time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	epoch1900Late = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	epoch1904     = time.Date(1904, time.January, 1, 0, 0, 0, 0, time.UTC)
)

const msPerDay = 86_400_000

// serialTime converts an Excel date serial to the time it stands for, to the millisecond (the
// precision Excel keeps), in the given date system. A negative serial, serial 60 of the 1900
// system and a time after 9999-12-31 are errors, phrased to follow "a date that".
func serialTime(f float64, dates readers.DateSystem) (time.Time, error) {
	if f < 0 || math.IsNaN(f) {
		return time.Time{}, fmt.Errorf("is a negative Excel serial (%s)", shortestDecimal(strconv.FormatFloat(f, 'g', -1, 64)))
	}
	if f >= maxExcelSerial+1 {
		return time.Time{}, fmt.Errorf("is after 9999-12-31, the last day Excel shows (serial %s)", strconv.FormatFloat(f, 'f', -1, 64))
	}
	ms := math.Round(f * msPerDay)
	days := math.Floor(ms / msPerDay)
	rest := time.Duration(ms-days*msPerDay) * time.Millisecond
	base := epoch1904
	if dates != readers.Excel1904 {
		switch {
		case days == 60:
			return time.Time{}, fmt.Errorf("Excel shows as 1900-02-29, a day that never was (serial 60)")
		case days < 60:
			base = epoch1900
		default:
			base = epoch1900Late
		}
	}
	t := base.AddDate(0, 0, int(days)).Add(rest)
	if t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("is after 9999-12-31, the last day Excel shows (serial %s)", strconv.FormatFloat(f, 'f', -1, 64))
	}
	return t, nil
}

// cellTime reads a date cell's value: a serial, or the ISO 8601 text of a cell of type "d".
func cellTime(s string, dates readers.DateSystem) (time.Time, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return serialTime(f, dates)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot be read: %q is neither a serial nor an ISO 8601 date", s)
}

// showTime writes a time for messages as a spreadsheet user reads it: "2024-01-02", or
// "2024-01-02 12:00:00", with milliseconds when there are any.
func showTime(t time.Time) string {
	switch {
	case isMidnight(t):
		return t.Format(typedDate)
	case t.Nanosecond() != 0:
		return t.Format("2006-01-02 15:04:05.000")
	}
	return t.Format(time.DateTime)
}

// shownValue is a cell's value as a user knows it: a date cell's serial as the date and time it
// stands for ("2024-01-02 12:00:00"), any other value as it is.
func shownValue(raw any, kind readers.CellKind, dates readers.DateSystem) any {
	s, ok := raw.(string)
	if !ok || (kind != readers.KindDate && kind != readers.KindDateTime) {
		return raw
	}
	if t, err := cellTime(s, dates); err == nil {
		return showTime(t)
	}
	return raw
}
