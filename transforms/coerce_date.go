package transforms

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/readers"
)

// Output layouts: what a date or date-time column holds once typed, as JSON Schema's formats
// want them.
const (
	typedDate     = "2006-01-02"
	typedDateTime = time.RFC3339Nano
)

// Date-time layouts always tried, in order, before the source's own. A value without a zone is
// read as UTC.
var builtinDateTimeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05"}

// maxExcelSerial is 9999-12-31, the last day Excel can show; a larger number in a date column is
// not a serial (it may be text such as "20240102" that a date layout reads).
const maxExcelSerial = 2958466

// layouts are the typing's date and date-time layouts, with the hints their errors show.
type layouts struct {
	// date lists the layouts for text dates; dateXLSX adds, for workbooks, ISO date-times at
	// midnight (cells of type "d").
	dateText, dateXLSX, dateTimeText []string
	dateHint, dateTimeHint           string
}

// newLayouts checks that each layout reads back a full date (year, month and day) and, for a
// date-time layout, the hour.
func newLayouts(date, dateTime []string) (layouts, error) {
	probe := time.Date(2031, time.November, 23, 19, 47, 0, 0, time.UTC)
	for _, l := range date {
		t, err := time.Parse(l, probe.Format(l))
		if err != nil || t.Year() != probe.Year() || t.Month() != probe.Month() || t.Day() != probe.Day() {
			return layouts{}, fmt.Errorf("date layout %q does not read a full date (year, month and day, as in 02.01.2006)", l)
		}
	}
	for _, l := range dateTime {
		t, err := time.Parse(l, probe.Format(l))
		if err != nil || !t.Truncate(time.Hour).Equal(probe.Truncate(time.Hour)) {
			return layouts{}, fmt.Errorf("date-time layout %q does not read a full date and time (as in 02.01.2006 15:04)", l)
		}
	}
	return layouts{
		dateText:     append([]string{typedDate}, date...),
		dateXLSX:     append(append([]string{typedDate}, builtinDateTimeLayouts...), date...),
		dateTimeText: append(append([]string(nil), builtinDateTimeLayouts...), dateTime...),
		dateHint:     orList(append([]string{typedDate}, date...)),
		dateTimeHint: orList(append([]string{"RFC 3339", "2006-01-02 15:04:05"}, dateTime...)),
	}, nil
}

// orList joins "a", "b" and "c" as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// date types a date cell: s is the trimmed text, q the quoted raw value for messages, stored
// whether s is an XLSX row's plain number.
func (l layouts) date(s, q string, dates readers.DateSystem, stored bool) (any, bool, string) {
	if t, ok, msg := serial(s, q, dates, stored); ok || msg != "" {
		if msg != "" {
			return nil, false, msg
		}
		if !isMidnight(t) {
			return nil, false, fmt.Sprintf("%s has a time of day (%s) but the column is a date", q, t.Format(time.TimeOnly))
		}
		return t.Format(typedDate), true, ""
	}
	try := l.dateText
	if dates != readers.NoSerialDates {
		try = l.dateXLSX
	}
	for _, layout := range try {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if !isMidnight(t) {
			return nil, false, fmt.Sprintf("%s has a time of day (%s) but the column is a date", q, t.Format(time.TimeOnly))
		}
		return t.Format(typedDate), true, ""
	}
	return nil, false, q + " is not a date (expected " + l.dateHint + ")"
}

// dateTime types a date-time cell, as date does.
func (l layouts) dateTime(s, q string, dates readers.DateSystem, stored bool) (any, bool, string) {
	if t, ok, msg := serial(s, q, dates, stored); ok || msg != "" {
		if msg != "" {
			return nil, false, msg
		}
		return t.Format(typedDateTime), true, ""
	}
	for _, layout := range l.dateTimeText {
		if t, err := time.Parse(layout, s); err == nil {
			if y := t.UTC().Year(); y < 0 || y > 9999 {
				// RFC 3339 has four-digit years: "-0001-12-31T23:00:00Z" is none.
				return nil, false, q + " is not a date-time (in UTC it falls outside the years 0000 to 9999)"
			}
			return t.UTC().Format(typedDateTime), true, ""
		}
	}
	return nil, false, q + " is not a date-time (expected " + l.dateTimeHint + ")"
}

// serial reads an Excel date serial: ok is false when s is not one (not an XLSX number, or too
// large to be a date: after 9999-12-31, the last day Excel shows); msg is set for a serial that
// is no date.
func serial(s, q string, dates readers.DateSystem, stored bool) (t time.Time, ok bool, msg string) {
	if dates == readers.NoSerialDates || !stored {
		return time.Time{}, false, ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f >= maxExcelSerial {
		return time.Time{}, false, ""
	}
	if f < 0 {
		return time.Time{}, false, q + " is not a date (a negative Excel date serial)"
	}
	t, err = excelize.ExcelDateToTime(f, dates == readers.Excel1904)
	if err != nil {
		return time.Time{}, false, q + " is not a date (" + err.Error() + ")"
	}
	if t.Year() > 9999 {
		return time.Time{}, false, "" // past 9999-12-31 in the 1904 date system: as too large above
	}
	return t, true, ""
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}
