package transforms

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bulkload/bulkload/schemas"
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

// maxExcelSerial is 9999-12-31 in the 1900 date system, the last day Excel can show.
const maxExcelSerial = 2958465

// layouts are the typing's date and date-time layouts, with the hints their errors show.
type layouts struct {
	// dateText and dateTimeText list the layouts tried for text; the hints show them as users
	// write them (YYYY-MM-DD, DD.MM.YYYY hh:mm).
	dateText, dateTimeText []string
	dateHint, dateTimeHint string
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
		dateTimeText: append(append([]string(nil), builtinDateTimeLayouts...), dateTime...),
		dateHint:     orList(layoutHints(append([]string{typedDate}, date...))),
		dateTimeHint: orList(append([]string{"RFC 3339"}, layoutHints(append([]string{"2006-01-02 15:04:05"}, dateTime...))...)),
	}, nil
}

// orList joins "a", "b" and "c" as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// date types a date text: s is the trimmed text, raw the text as the cell has it (quoted in
// messages), xlsx whether the text is an XLSX text cell (whose message then says that it holds
// text). The date is "2006-01-02"; when that is s, it is s itself.
func (l layouts) date(s, raw string, xlsx bool) (string, bool, string) {
	if schemas.IsISODate(s) {
		return s, true, "" // what the first layout, typedDate, reads and writes back
	}
	for _, layout := range l.dateText {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if !isMidnight(t) {
			return "", false, fmt.Sprintf("%s has a time of day (%s) but the column is a date", strconv.Quote(raw), t.Format(time.TimeOnly))
		}
		return formatted(t, typedDate, s), true, ""
	}
	return "", false, notA(s, strconv.Quote(raw), "a date", l.dateHint, xlsx)
}

// dateTime types a date-time text, as date does, into RFC 3339 in UTC.
func (l layouts) dateTime(s, raw string, xlsx bool) (string, bool, string) {
	for _, layout := range l.dateTimeText {
		if t, err := time.Parse(layout, s); err == nil {
			if y := t.UTC().Year(); y < 0 || y > 9999 {
				// RFC 3339 has four-digit years: "-0001-12-31T23:00:00Z" is none.
				return "", false, strconv.Quote(raw) + " is not a date-time (in UTC it falls outside the years 0000 to 9999)"
			}
			return formatted(t.UTC(), typedDateTime, s), true, ""
		}
	}
	return "", false, notA(s, strconv.Quote(raw), "a date-time", l.dateTimeHint, xlsx)
}

// formatted is t in layout: s when that is s, a new string otherwise.
func formatted(t time.Time, layout, s string) string {
	if layout == typedDate && isDigitDate(s) {
		return s // t was parsed from s with this layout: digits in every place format writes them
	}
	var buf [64]byte
	out := t.AppendFormat(buf[:0], layout)
	if string(out) == s {
		return s
	}
	return string(out)
}

// notA is the message for text that is not a date or date-time. An XLSX text cell that holds a
// number says so: a number typed as text is not a serial date.
func notA(s, q, what, hint string, xlsx bool) string {
	if xlsx && isPlainNumber(strings.TrimSpace(s)) {
		return fmt.Sprintf("%s is a number written as text, not %s (expected %s)", q, what, hint)
	}
	return fmt.Sprintf("%s is not %s (expected %s)", q, what, hint)
}

// isDigitDate reports whether s is shaped as dddd-dd-dd.
func isDigitDate(s string) bool {
	if len(s) != len(typedDate) {
		return false
	}
	for i := range len(s) {
		if i == 4 || i == 7 {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// layoutHints writes Go time layouts as users write them: "2006-01-02" as "YYYY-MM-DD",
// "02.01.2006 15:04" as "DD.MM.YYYY hh:mm".
func layoutHints(layouts []string) []string {
	out := make([]string, len(layouts))
	for i, l := range layouts {
		out[i] = layoutHint(l)
	}
	return out
}

// layoutTokens are the elements of Go layouts, longest first where one starts another.
var layoutTokens = []struct{ goLayout, shown string }{
	{"January", "MMMM"}, {"Monday", "dddd"}, {"Jan", "MMM"}, {"Mon", "ddd"}, {"2006", "YYYY"},
	{"Z07:00", "±hh:mm"}, {"-07:00", "±hh:mm"}, {"Z0700", "±hhmm"}, {"-0700", "±hhmm"}, {"Z07", "±hh"}, {"-07", "±hh"},
	{"MST", "zone"}, {"002", "DDD"}, {"06", "YY"}, {"01", "MM"}, {"02", "DD"}, {"_2", "D"}, {"15", "hh"},
	{"03", "hh"}, {"04", "mm"}, {"05", "ss"}, {"PM", "AM/PM"}, {"pm", "am/pm"},
	{"1", "M"}, {"2", "D"}, {"3", "h"}, {"4", "m"}, {"5", "s"},
}

// layoutHint writes one Go layout as users write it.
func layoutHint(layout string) string {
	var b strings.Builder
	for i := 0; i < len(layout); {
		if (layout[i] == '.' || layout[i] == ',') && strings.HasSuffix(b.String(), "s") && i+1 < len(layout) && (layout[i+1] == '0' || layout[i+1] == '9') {
			j := i + 1
			for j < len(layout) && layout[j] == layout[i+1] {
				j++
			}
			b.WriteByte(layout[i])
			b.WriteString(strings.Repeat("S", j-i-1)) // fractional seconds
			i = j
			continue
		}
		matched := false
		for _, tok := range layoutTokens {
			if strings.HasPrefix(layout[i:], tok.goLayout) {
				b.WriteString(tok.shown)
				i += len(tok.goLayout)
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(layout[i])
			i++
		}
	}
	return b.String()
}
