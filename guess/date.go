package guess

import (
	"strings"
	"time"
)

// A dateLayout is a Go time layout init may recognise. iso layouts are what the typing reads
// without being told (2006-01-02, RFC 3339); others must be listed in the source's typing.
type dateLayout struct {
	layout   string
	dateTime bool
	iso      bool
	// display is how a comment shows it: "dd.mm.yyyy"; order is the order of its day, month and
	// year ("dmy"), which tells layouts that read the same text differently apart.
	display, order string
}

// dateLayouts are tried in this order; where two fit the same values (01/02/2024 fits day-first
// and month-first), the earlier one is chosen and the column's comment says it is ambiguous.
// Strict two-digit layouts come before their one-digit forms, so "02.01.2006" is chosen when
// every value pads its day and month.
var dateLayouts = []dateLayout{
	{layout: "2006-01-02", iso: true, display: "yyyy-mm-dd", order: "ymd"},
	{layout: "02.01.2006", display: "dd.mm.yyyy", order: "dmy"},
	{layout: "2.1.2006", display: "d.m.yyyy", order: "dmy"},
	{layout: "02/01/2006", display: "dd/mm/yyyy", order: "dmy"},
	{layout: "01/02/2006", display: "mm/dd/yyyy", order: "mdy"},
	{layout: "2/1/2006", display: "d/m/yyyy", order: "dmy"},
	{layout: "1/2/2006", display: "m/d/yyyy", order: "mdy"},
	{layout: "02-01-2006", display: "dd-mm-yyyy", order: "dmy"},
	{layout: "01-02-2006", display: "mm-dd-yyyy", order: "mdy"},
	{layout: "2006/01/02", display: "yyyy/mm/dd", order: "ymd"},
	{layout: "2 Jan 2006", display: "d Mon yyyy", order: "dmy"},
	{layout: "02-Jan-2006", display: "dd-Mon-yyyy", order: "dmy"},
	{layout: time.RFC3339, dateTime: true, iso: true, display: "RFC 3339", order: "ymd"},
	{layout: "2006-01-02 15:04:05", dateTime: true, iso: true, display: "yyyy-mm-dd hh:mm:ss", order: "ymd"},
	{layout: "2006-01-02T15:04:05", dateTime: true, iso: true, display: "yyyy-mm-ddThh:mm:ss", order: "ymd"},
	{layout: "2006-01-02 15:04", dateTime: true, display: "yyyy-mm-dd hh:mm", order: "ymd"},
	{layout: "02.01.2006 15:04:05", dateTime: true, display: "dd.mm.yyyy hh:mm:ss", order: "dmy"},
	{layout: "02.01.2006 15:04", dateTime: true, display: "dd.mm.yyyy hh:mm", order: "dmy"},
	{layout: "02/01/2006 15:04:05", dateTime: true, display: "dd/mm/yyyy hh:mm:ss", order: "dmy"},
	{layout: "01/02/2006 15:04:05", dateTime: true, display: "mm/dd/yyyy hh:mm:ss", order: "mdy"},
	{layout: "02/01/2006 15:04", dateTime: true, display: "dd/mm/yyyy hh:mm", order: "dmy"},
	{layout: "01/02/2006 15:04", dateTime: true, display: "mm/dd/yyyy hh:mm", order: "mdy"},
}

// parses says whether s is a date (or date-time) written in l. noDay says s is written in l
// but names no day ("31.02.2026", "32.01.2026"): evidence of how the column writes its dates, and
// a value validate reports. A month above 12 is not written in l: that is what tells day-first
// and month-first layouts apart.
func (l dateLayout) parses(s string) (ok, noDay bool) {
	if len(s) < 6 || len(s) > 40 || !strings.ContainsAny(s[:1], "0123456789") {
		return false, false
	}
	_, err := time.Parse(l.layout, s)
	if err != nil {
		return false, strings.HasSuffix(err.Error(), "day out of range")
	}
	return true, false
}
