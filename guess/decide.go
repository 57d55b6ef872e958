package guess

import (
	"fmt"
	"sort"
	"strings"
)

// Column is what init concluded about one column.
type Column struct {
	Name string
	Type Type
	// Layout is the Go layout of a Date or DateTime column that the typing must be told (empty
	// for ISO 8601); Display shows it as "dd.mm.yyyy".
	Layout, Display string
	// Required: no value of the sample was blank. Unique: no value occurred twice.
	Required, Unique bool
	// Enum lists the values, sorted, when the column has a handful of them.
	Enum []string
	// NonBlank and Blanks count the sample's values.
	NonBlank, Blanks int
	// Notes say what the guess rests on and what to check, one comment line each.
	Notes []string
}

// decide concludes a column's type from its tally, for a source of the given format read in
// locale loc (an index into locales).
func (c *column) decide(format string, loc int) Column {
	out := Column{Name: c.name, NonBlank: c.nonBlank, Blanks: c.blanks, Required: c.blanks == 0 && c.nonBlank > 0,
		Unique: !c.duplicate && c.nonBlank > 1}
	n := c.nonBlank
	text := format == "csv" || format == "xlsx" // else JSON or JSONL: values arrive typed
	if n == 0 {
		out.Type = String
		out.Notes = append(out.Notes, "always blank in the rows looked at: string; check what it holds")
		return out
	}
	if !text && c.json.strings < n {
		out.Type = c.jsonType()
		if out.Type == Array {
			out.Notes = append(out.Notes, fmt.Sprintf("array: a second source with explode: [%s] makes each element a row of its own", c.name))
		}
		if out.Type == Mixed {
			out.Notes = append(out.Notes, fmt.Sprintf("values of several JSON kinds (%s): no type declared", c.json))
		}
		return c.finish(out)
	}
	if t := c.locales[0]; c.hint != "" && format == "xlsx" && mostly(t.fit, n) {
		out.Type = c.hint
		out.Notes = append(out.Notes, fmt.Sprintf("%s: the cells are numbers shown as dates (Excel date serials, converted exactly)", c.hint))
		return c.finish(c.misfits(out, t))
	}
	if i, ok := c.dateLayout(false); ok {
		return c.finish(c.dated(out, Date, i))
	}
	if i, ok := c.dateLayout(true); ok {
		return c.finish(c.dated(out, DateTime, i))
	}
	if text && c.boolean() {
		out.Type = Boolean
		out.Notes = append(out.Notes, fmt.Sprintf("boolean: every value is one of %s", strings.Join(sortedKeys(c.boolWords), ", ")))
		return c.finish(c.misfits(out, c.bools))
	}
	if t := c.locales[loc]; text && mostly(t.fit, n) {
		switch {
		case t.frac > 0:
			out.Type = Number
		case format == "csv" && c.fixedWidth() >= 5:
			out.Type = String
			out.Notes = append(out.Notes, fmt.Sprintf("string: every value is %d digits, as codes are (a number would lose leading zeros); make it integer if it is a quantity", c.fixedWidth()))
			return c.finish(out)
		default:
			out.Type = Integer
			out.Notes = append(out.Notes, "integer: every number is whole; make it number if fractions may come")
		}
		return c.finish(c.misfits(out, t))
	}
	out.Type = String
	return c.finish(out)
}

// finish gives a string column of a CSV or XLSX source with a handful of values its enum. (A JSON
// string is validated as the document has it, untrimmed, so its values are not listed.)
func (c *column) finish(out Column) Column {
	if n := len(c.distinct); out.Type == String && !c.fromJSON && out.Layout == "" && n > 0 && n <= enumMax && c.nonBlank >= enumRows && c.nonBlank >= 5*n {
		out.Enum = sortedKeys(c.distinct)
		out.Notes = append(out.Notes, fmt.Sprintf("enum: only %d distinct values in %d; remove the enum if others may come", n, c.nonBlank))
	}
	return out
}

// misfits notes the values that fit no type but were outvoted; validate reports them.
func (c *column) misfits(out Column, t tally) Column {
	if miss := c.nonBlank - t.fit; miss > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%d of %d values do not fit: %s; validate reports them as invalid", miss, c.nonBlank, examples(t.misfits)))
	}
	return out
}

// examples lists values with their cells: "31.02.2026" (orders.csv:7:Date).
func examples(ex []example) string {
	var s []string
	for _, e := range ex {
		s = append(s, fmt.Sprintf("%q (%s)", e.value, e.cell))
	}
	return strings.Join(s, ", ")
}

// dated fills in a date or date-time column from layout i.
func (c *column) dated(out Column, t Type, i int) Column {
	l := dateLayouts[i]
	out.Type, out.Display = t, l.display
	if !l.iso {
		out.Layout = l.layout
	}
	note := fmt.Sprintf("%s: the values are written as %s", t, l.display)
	if other := c.rival(i); other != "" {
		note += fmt.Sprintf(", but also as %s: AMBIGUOUS, %s was chosen; check a day above 12", other, l.display)
	}
	out.Notes = append(out.Notes, note)
	if t := c.layouts[i]; t.noDays > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%d of %d values are written so but name no day: %s; validate reports them as invalid", t.noDays, c.nonBlank, examples(t.noDay)))
	}
	return c.misfits(out, c.layouts[i])
}

// dateLayout returns the first layout of the kind (date or date-time) that the values fit mostly.
func (c *column) dateLayout(dateTime bool) (int, bool) {
	for i, l := range dateLayouts {
		if l.dateTime == dateTime && mostly(c.layouts[i].fit, c.nonBlank) {
			return i, true
		}
	}
	return 0, false
}

// rival names another layout, with another order of day and month, that fits as many values as
// layout i: then the values cannot tell which one they are written in.
func (c *column) rival(i int) string {
	for j, l := range dateLayouts {
		if j != i && l.dateTime == dateLayouts[i].dateTime && l.order != dateLayouts[i].order &&
			c.layouts[j].fit == c.layouts[i].fit {
			return l.display
		}
	}
	return ""
}

// boolean says whether the column is boolean: its values are boolean words, a true and a false one,
// all of them when the words are only 1 and 0 (counts are written so too).
func (c *column) boolean() bool {
	if !isBoolean(c.boolWords) || !mostly(c.bools.fit, c.nonBlank) {
		return false
	}
	for w := range c.boolWords {
		if w != "1" && w != "0" {
			return true
		}
	}
	return c.bools.fit == c.nonBlank
}

// fixedWidth returns the one length of every value when all are digits of the same length; 0
// otherwise.
func (c *column) fixedWidth() int {
	if len(c.digitLens) != 1 || c.locales[0].fit != c.nonBlank || c.nonBlank < 2 {
		return 0
	}
	for n := range c.digitLens {
		return n
	}
	return 0
}

// jsonType is the type of a JSON column from the kinds of its values.
func (c *column) jsonType() Type {
	k, n := c.json, c.nonBlank
	switch n {
	case k.whole:
		return Integer
	case k.whole + k.frac:
		return Number
	case k.bools:
		return Boolean
	case k.objects:
		return Object
	case k.arrays:
		return Array
	}
	return Mixed
}

func (k jsonKinds) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{k.whole + k.frac, "numbers"}, {k.bools, "booleans"}, {k.strings, "strings"}, {k.objects, "objects"}, {k.arrays, "arrays"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
