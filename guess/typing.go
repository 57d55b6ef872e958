package guess

import (
	"fmt"
	"slices"
	"strings"
)

// decide concludes the source's typing and its columns' types from their tallies: first the
// number locale that makes the most values numbers (CSV only: XLSX numbers are stored values,
// JSON numbers are typed), then each column in that locale, then the date layouts and boolean
// words the typing must be told, and the key column.
func (s *Source) decide(cols []*column) {
	loc := 0
	if s.Format == "csv" {
		loc = chooseLocale(cols)
	}
	l := locales[loc]
	orders := map[string][]string{} // day-first ("dmy") or month-first ("mdy") -> its columns
	for _, c := range cols {
		col := c.decide(s.Format, loc)
		if other := c.otherLocale(loc); col.Type == String && s.Format == "csv" && other >= 0 {
			col.Notes = append(col.Notes, fmt.Sprintf("string: its values are numbers with %s, the other number columns use %s; check which is right", locales[other], l))
		}
		if o := dateOrder(col.Display); o == "dmy" || o == "mdy" { // only these two read the same text apart
			orders[o] = append(orders[o], col.Name)
		}
		s.Columns = append(s.Columns, col)
		switch {
		case col.Type == Number || col.Type == Integer:
			if l.decimal != '.' {
				s.Decimal = string(l.decimal)
			}
			if l.thousands != 0 {
				s.Thousands = string(l.thousands)
			}
		case col.Layout != "" && col.Type == Date && !slices.Contains(s.DateLayouts, col.Layout):
			s.DateLayouts = append(s.DateLayouts, col.Layout)
		case col.Layout != "" && col.Type == DateTime && !slices.Contains(s.DateTimeLayouts, col.Layout):
			s.DateTimeLayouts = append(s.DateTimeLayouts, col.Layout)
		case col.Type == Boolean:
			s.addWords(c.boolWords)
		}
	}
	if len(orders) > 1 {
		var parts []string
		for _, o := range sortedKeys(orders) {
			parts = append(parts, fmt.Sprintf("%s (%s)", strings.Join(orders[o], ", "), o))
		}
		s.Notes = append(s.Notes, fmt.Sprintf("dates are written in different orders: %s; the typing tries every layout on every date column, so a value both read (01/02/2024) is read by the first", strings.Join(parts, " and ")))
	}
}

// dateOrder is the order of day, month and year of a layout as comments show it.
func dateOrder(display string) string {
	for _, l := range dateLayouts {
		if l.display == display {
			return l.order
		}
	}
	return ""
}

// otherLocale returns a locale other than loc that the column's values are mostly numbers in,
// or -1.
func (c *column) otherLocale(loc int) int {
	for i, t := range c.locales {
		if i != loc && mostly(t.fit, c.nonBlank) && t.frac > 0 {
			return i
		}
	}
	return -1
}

// chooseKeys chooses the column, or pair of columns, that keys the records, the first of: a
// unique column named as a key, a unique pair of such columns (an order number and a line
// number), a unique string column, any unique pair, a unique integer column (a count that is
// unique by chance is the last resort). texts holds the sample's values for pairs (nil: none).
func (s *Source) chooseKeys(texts [][]string) {
	s.Key = chooseKey(s.Columns, true, Integer)
	if s.Key == "" && texts != nil {
		s.Key, s.Key2 = pairKey(s.Columns, texts, true)
	}
	if s.Key == "" {
		s.Key = chooseKey(s.Columns, false, String)
	}
	if s.Key == "" && texts != nil {
		s.Key, s.Key2 = pairKey(s.Columns, texts, false)
	}
	if s.Key == "" {
		s.Key = chooseKey(s.Columns, false, Integer)
	}
}

// chooseLocale returns the index of the locale under which the most values of the columns that
// are numbers mostly are numbers; ties go to the earlier locale.
func chooseLocale(cols []*column) int {
	best, bestScore := 0, -1
	for i := range locales {
		score := 0
		for _, c := range cols {
			if t := c.locales[i]; mostly(t.fit, c.nonBlank) {
				score += t.fit
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// addWords adds the boolean words a column used that the typing does not know by default, with
// the defaults kept (declaring words replaces them).
func (s *Source) addWords(words map[string]bool) {
	extra := false
	for w := range words {
		if !slices.Contains(defaultTrue, w) && !slices.Contains(defaultFalse, w) {
			extra = true
		}
	}
	if !extra {
		return
	}
	if s.TrueWords == nil {
		s.TrueWords, s.FalseWords = slices.Clone(defaultTrue), slices.Clone(defaultFalse)
	}
	for _, w := range sortedKeys(words) {
		switch {
		case boolWord[w] && !slices.Contains(s.TrueWords, w):
			s.TrueWords = append(s.TrueWords, w)
		case !boolWord[w] && !slices.Contains(s.FalseWords, w):
			s.FalseWords = append(s.FalseWords, w)
		}
	}
}

// chooseKey returns the first column that is unique and never blank: with named, a string or
// integer column whose name says it is a key (id, nr, code, key, number); else one of type t.
func chooseKey(cols []Column, named bool, t Type) string {
	for _, c := range cols {
		if c.Unique && c.Required && (named && keyName(c.Name) && (c.Type == String || c.Type == Integer) || !named && c.Type == t) {
			return c.Name
		}
	}
	return ""
}

func keyName(name string) bool {
	if strings.HasSuffix(name, "No") || strings.HasSuffix(name, "ID") || strings.HasSuffix(name, "Id") {
		return true // OrderNo, SiteID
	}
	n := strings.ToLower(name)
	for _, k := range []string{"id", "nr", "no", "code", "key", "number", "nummer"} {
		if n == k || strings.HasSuffix(n, "_"+k) || strings.HasSuffix(n, k) && len(n) > len(k) && k != "no" {
			return true
		}
	}
	return false
}
