package transforms

import (
	"fmt"
	"time"
)

// isoDate is the layout of an ISO 8601 date, which is how typed rows carry date columns.
const isoDate = "2006-01-02"

// isoLayouts are the layouts format_date accepts, tried in order.
var isoLayouts = []string{isoDate, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05"}

// dateFunctions are format_date, parse_date and today.
func dateFunctions() []funcDef {
	return []funcDef{
		{"format_date", fnFormatDate, []any{new(func(any, string) any)}},
		{"parse_date", fnParseDate, []any{new(func(any, string) any)}},
		{"today", fnToday, []any{new(func() string)}},
	}
}

// fnFormatDate: format_date(d, layout) writes an ISO date or date-time (text, or a time from
// expr's date functions) with a Go layout such as "02.01.2006".
func fnFormatDate(args ...any) (any, error) {
	if isBlank(args[0]) {
		return nil, nil
	}
	layout, _ := args[1].(string)
	if layout == "" {
		return nil, fmt.Errorf("format_date: the layout is empty")
	}
	switch v := args[0].(type) {
	case time.Time:
		return v.Format(layout), nil
	case string:
		for _, l := range isoLayouts {
			if t, err := time.Parse(l, v); err == nil {
				return t.Format(layout), nil
			}
		}
		return nil, fmt.Errorf("format_date: %q is not an ISO date (2006-01-02) or date-time (2006-01-02T15:04:05Z)", v)
	}
	return nil, fmt.Errorf("format_date: expected an ISO date, got %s", show(args[0]))
}

// fnParseDate: parse_date(s, layout) reads s with a Go layout and returns the ISO date.
func fnParseDate(args ...any) (any, error) {
	if isBlank(args[0]) {
		return nil, nil
	}
	s, err := asText("parse_date", args[0])
	if err != nil {
		return nil, err
	}
	layout, _ := args[1].(string)
	if layout == "" {
		return nil, fmt.Errorf("parse_date: the layout is empty")
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return nil, fmt.Errorf("parse_date: %q does not match the layout %q", s, layout)
	}
	return t.Format(isoDate), nil
}

// clock is the clock of today(); tests replace it.
var clock = time.Now

// fnToday returns the current date in the machine's time zone as an ISO date.
func fnToday(...any) (any, error) {
	return clock().Format(isoDate), nil
}
