package guess

import (
	"encoding/json"
	"strings"
)

// Type is a guessed column type, as the row schema writes it.
type Type string

// The column types init guesses. Date and DateTime are JSON Schema strings with a format.
const (
	String   Type = "string"
	Integer  Type = "integer"
	Number   Type = "number"
	Boolean  Type = "boolean"
	Date     Type = "date"
	DateTime Type = "date-time"
	Object   Type = "object"
	Array    Type = "array"
	Mixed    Type = "" // JSON values of several kinds: no type is declared
)

// maxExamples bounds the misfit values a column keeps for its comment.
const maxExamples = 3

// enumMax is the most distinct values a string column may have for an enum ("a handful"), and
// enumRows the fewest values it must have shown: each value must also occur five times on average,
// so that a key or a name column of a short file gets no enum.
const (
	enumMax  = 10
	enumRows = 20
)

// example is a value of the sample with the cell it came from.
type example struct {
	cell, value string
}

// tally counts how the values of one column fit one candidate (a locale, a layout, ...).
type tally struct {
	fit, frac int // frac: for locales, the fitting values with a fraction part
	misfits   []example
	// noDays counts, for date layouts, the fitting values that name no day; noDay keeps examples.
	noDays int
	noDay  []example
}

func (t *tally) add(ok bool, cell, value string) {
	if ok {
		t.fit++
		return
	}
	if len(t.misfits) < maxExamples {
		t.misfits = append(t.misfits, example{cell, value})
	}
}

// column accumulates what the sample says about one column. Text values (CSV, XLSX) are judged
// trimmed, as the typing trims them.
type column struct {
	name             string
	nonBlank, blanks int
	distinct         map[string]int // up to enumMax+1 values
	seen             map[string]struct{}
	duplicate        bool // a value occurred twice: the column cannot key the records
	locales          []tally
	layouts          []tally
	bools            tally
	boolWords        map[string]bool // the words seen, lower-cased
	digitLens        map[int]bool    // the lengths of the values that are digits only
	json             jsonKinds
	// limit is the sample limit: no column sees more values.
	limit int
	// fromJSON is set for a column of a JSON or JSONL source.
	fromJSON bool
	// hint is Date or DateTime for an XLSX column whose first cells are date-styled numbers.
	hint Type
}

// jsonKinds counts the kinds of decoded JSON values.
type jsonKinds struct {
	whole, frac, bools, strings, objects, arrays int
}

func newColumn(name string, limit int) *column {
	return &column{name: name, limit: limit, distinct: map[string]int{}, seen: map[string]struct{}{},
		locales: make([]tally, len(locales)), layouts: make([]tally, len(dateLayouts)),
		boolWords: map[string]bool{}, digitLens: map[int]bool{}}
}

// add counts one value of the column; cell names it for examples.
func (c *column) add(v any, cell string) {
	switch x := v.(type) {
	case nil:
		c.blanks++
	case string:
		c.addText(x, cell)
	case json.Number:
		c.count(x.String())
		if strings.ContainsAny(x.String(), ".eE") {
			c.json.frac++
		} else {
			c.json.whole++
		}
	case bool:
		c.count(map[bool]string{true: "true", false: "false"}[x])
		c.json.bools++
	case map[string]any:
		c.nonBlank++
		c.duplicate = true // objects do not key records
		c.json.objects++
	case []any:
		c.nonBlank++
		c.duplicate = true
		c.json.arrays++
	default:
		c.count("")
	}
}

// addText counts one text value: for JSON sources a string, for CSV and XLSX every cell.
func (c *column) addText(s, cell string) {
	s = strings.TrimSpace(s)
	if s == "" {
		c.blanks++
		return
	}
	c.count(s)
	c.json.strings++
	for i, l := range locales {
		shape := l.parse(s)
		c.locales[i].add(shape != notNumber, cell, s)
		if shape == fractionNumber {
			c.locales[i].frac++
		}
	}
	if allDigits(s) {
		c.digitLens[len(s)] = true
	}
	for i, l := range dateLayouts {
		t := &c.layouts[i]
		if c.hopeless(t) {
			continue // too many misfits already; no need to parse further
		}
		ok, noDay := l.parses(s)
		t.add(ok || noDay, cell, s)
		if noDay && len(t.noDay) < maxExamples {
			t.noDay = append(t.noDay, example{cell, s})
		}
		if noDay {
			t.noDays++
		}
	}
	_, ok := boolWord[strings.ToLower(s)]
	c.bools.add(ok, cell, s)
	if ok {
		c.boolWords[strings.ToLower(s)] = true
	}
}

// count records a non-blank value for required, enum and uniqueness.
func (c *column) count(s string) {
	c.nonBlank++
	if _, ok := c.distinct[s]; ok || len(c.distinct) <= enumMax {
		c.distinct[s]++
	}
	if !c.duplicate {
		if _, ok := c.seen[s]; ok {
			c.duplicate = true
			c.seen = nil
		} else {
			c.seen[s] = struct{}{}
		}
	}
}

// mostly says whether fit of n values is enough for a type: all of them, or all but a few that
// the comment lists and validate will report (at most one in a hundred, at least one, and at
// least eight fitting values for each that does not).
func mostly(fit, n int) bool {
	miss := n - fit
	if n == 0 || fit == 0 {
		return false
	}
	return miss == 0 || miss <= max(1, n/100) && fit >= 8*miss
}

// hopeless says whether a candidate can no longer fit mostly, however the sample goes on: it
// already missed more values than mostly allows of the largest sample.
func (c *column) hopeless(t *tally) bool {
	miss := c.nonBlank - 1 - t.fit // the value being added is not counted yet
	return miss > max(1, c.limit/100)
}
