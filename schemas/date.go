package schemas

import "time"

// IsISODate reports whether s is a date written as dddd-dd-dd with a month from 01 to 12 and a
// day of that month: exactly the texts of that shape time.Parse("2006-01-02", s) accepts, which
// is the check of format "date". It is false for any other text, some of which time.Parse
// accepts ("+024-01-02"), so false means "ask time.Parse".
func IsISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	year, okY := digits(s[0:4])
	month, okM := digits(s[5:7])
	day, okD := digits(s[8:10])
	if !okY || !okM || !okD || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// digits reads a number written with ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
