package guess

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestDecideColumn types one column from its values, as a CSV source in the locale the values
// choose, and checks the type, the layout, the enum and what the comment says.
func TestDecideColumn(t *testing.T) {
	many := func(v string, n int) []string { return slices.Repeat([]string{v}, n) }
	tests := []struct {
		name   string
		values []string
		want   Type
		layout string   // the Go layout the typing must be told
		notes  []string // substrings of the notes, in any note
		enum   bool
	}{
		{"whole numbers", []string{"1", "2", "30", "-4"}, Integer, "", []string{"integer: every number is whole"}, false},
		{"decimal comma", []string{"1 234,50", "12,00", "3"}, Number, "", nil, false},
		{"decimal point", []string{"1.5", "2", "-0.25"}, Number, "", nil, false},
		{"leading zero is a code", []string{"007", "12", "13"}, String, "", nil, false},
		{"fixed width digits are codes", []string{"10001", "10002", "10003"}, String, "", []string{"every value is 5 digits"}, false},
		{"exponent is text", []string{"1E5", "2E3"}, String, "", nil, false},
		{"iso dates need no layout", []string{"2024-01-31", "2024-02-29"}, Date, "", []string{"yyyy-mm-dd"}, false},
		{"dd.mm.yyyy", []string{"31.01.2024", "01.02.2024"}, Date, "02.01.2006", []string{"dd.mm.yyyy"}, false},
		{"d.m.yyyy", []string{"31.1.2024", "1.12.2024"}, Date, "2.1.2006", nil, false},
		{"ambiguous slashes", []string{"01/02/2024", "03/04/2024"}, Date, "02/01/2006", []string{"AMBIGUOUS", "mm/dd/yyyy"}, false},
		{"a day above 12 decides", []string{"01/02/2024", "12/31/2024"}, Date, "01/02/2006", nil, false},
		{"no such day is still the layout", append(many("03.11.2026", 8), "31.02.2026"), Date, "02.01.2006",
			[]string{`1 of 9 values are written so but name no day: "31.02.2026" (f.csv:10:c)`}, false},
		{"one misfit in nine is outvoted", append(many("4", 8), "12,5x"), Integer, "", []string{`1 of 9 values do not fit: "12,5x" (f.csv:10:c)`}, false},
		{"two misfits in nine are not", append(many("4", 7), "x", "y"), String, "", nil, false},
		{"date-time", []string{"2024-01-31 10:30:00", "2024-02-01 08:00:00"}, DateTime, "", nil, false},
		{"date-time with a layout", []string{"31.01.2024 10:30", "01.02.2024 08:00"}, DateTime, "02.01.2006 15:04", nil, false},
		{"yes and no", []string{"yes", "no", "Yes"}, Boolean, "", []string{"boolean"}, false},
		{"ja and nei", []string{"ja", "nei"}, Boolean, "", nil, false},
		{"1 and 0", []string{"1", "0", "1"}, Boolean, "", nil, false},
		{"only 1s is a count", []string{"1", "1", "1"}, Integer, "", nil, false},
		{"0, 1 and 2 are counts", append(many("1", 10), "0", "2"), Integer, "", nil, false},
		{"a handful of values", append(many("Unique", 15), many("Consumable", 10)...), String, "", []string{"enum: only 2 distinct values in 25"}, true},
		{"too few rows for an enum", []string{"a", "b", "a"}, String, "", nil, false},
		{"blank", []string{"", " "}, String, "", []string{"always blank"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newColumn("c", DefaultSampleRows)
			for i, v := range tt.values {
				c.add(v, fmt.Sprintf("f.csv:%d:c", i+2))
			}
			c.blanks = len(tt.values) - c.nonBlank
			got := c.decide("csv", chooseLocale([]*column{c}))
			if got.Type != tt.want || got.Layout != tt.layout {
				t.Fatalf("type %q layout %q, want %q %q; notes %q", got.Type, got.Layout, tt.want, tt.layout, got.Notes)
			}
			all := strings.Join(got.Notes, "\n")
			for _, n := range tt.notes {
				if !strings.Contains(all, n) {
					t.Errorf("notes %q lack %q", got.Notes, n)
				}
			}
			if (got.Enum != nil) != tt.enum {
				t.Errorf("enum %q, want one: %v", got.Enum, tt.enum)
			}
		})
	}
}

// TestChooseLocale picks the number locale the most number values are written in.
func TestChooseLocale(t *testing.T) {
	tests := []struct {
		values    []string
		want      locale
		wantShape numberShape
	}{
		{[]string{"1 234 500,00", "48 900,50", "349,00"}, locale{',', ' '}, fractionNumber},
		{[]string{"1.234.500,00", "48.900,50"}, locale{',', '.'}, fractionNumber},
		{[]string{"1,234,500.00", "48,900.50"}, locale{'.', ','}, fractionNumber},
		{[]string{"12,5", "3,25"}, locale{',', 0}, fractionNumber},
		{[]string{"12", "3"}, locale{'.', 0}, wholeNumber},
	}
	for _, tt := range tests {
		c := newColumn("c", DefaultSampleRows)
		for _, v := range tt.values {
			c.add(v, "x")
		}
		got := locales[chooseLocale([]*column{c})]
		if got != tt.want || got.parse(tt.values[0]) != tt.wantShape {
			t.Errorf("%q: locale %v, want %v", tt.values, got, tt.want)
		}
	}
}

// TestLocaleParse checks the number shapes init accepts as evidence.
func TestLocaleParse(t *testing.T) {
	tests := []struct {
		s    string
		l    locale
		want numberShape
	}{
		{"1 234", locale{',', ' '}, wholeNumber},
		{"12 34", locale{',', ' '}, notNumber},
		{"0,5", locale{',', 0}, fractionNumber},
		{"-3", locale{'.', 0}, wholeNumber},
		{"0150", locale{'.', 0}, notNumber},
		{"1,", locale{',', 0}, notNumber},
		{"", locale{'.', 0}, notNumber},
		{"1.234.567", locale{',', '.'}, wholeNumber},
		{"1.2.3", locale{'.', 0}, notNumber},
	}
	for _, tt := range tests {
		if got := tt.l.parse(tt.s); got != tt.want {
			t.Errorf("%v.parse(%q) = %d, want %d", tt.l, tt.s, got, tt.want)
		}
	}
}
