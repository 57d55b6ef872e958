package transforms

import (
	"fmt"
	"strings"
)

// nearestColumn says which column of header the user most likely meant by name, as a message
// suffix, or "" when none is close. In order: a column that differs only by surrounding white
// space or case (`; the file has "Qty " with a trailing space`), one that starts with name or
// with which name starts, ignoring case (`Descr` for `Description`), and one within a small edit
// distance (1 for names of four letters or fewer, else 2). Ties go to the earlier column.
func nearestColumn(name string, header []string) string {
	want := strings.TrimSpace(name)
	for _, c := range header {
		if c != name && strings.EqualFold(strings.TrimSpace(c), want) {
			return fmt.Sprintf("; the file has %q%s", c, differences(c, want))
		}
	}
	lw := strings.ToLower(want)
	if len([]rune(lw)) >= 3 {
		for _, c := range header {
			lc := strings.ToLower(strings.TrimSpace(c))
			if len([]rune(lc)) >= 3 && (strings.HasPrefix(lc, lw) || strings.HasPrefix(lw, lc)) {
				return fmt.Sprintf("; did you mean %q?", c)
			}
		}
	}
	limit := 2
	if len([]rune(want)) <= 4 {
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range header {
		if d := levenshtein(lw, strings.ToLower(strings.TrimSpace(c))); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// sameButSpaceOrCase reports whether header has a column that is name but for surrounding white
// space and case.
func sameButSpaceOrCase(name string, header []string) bool {
	for _, c := range header {
		if c != name && strings.EqualFold(strings.TrimSpace(c), strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// differences describes how column c differs from want, which it equals but for surrounding
// white space and case: " with a trailing space", " in another case", " with a leading space
// and in another case".
func differences(c, want string) string {
	var parts []string
	lead, trail := c != strings.TrimLeft(c, " \t\u00a0"), c != strings.TrimRight(c, " \t\u00a0")
	switch {
	case lead && trail:
		parts = append(parts, "with white space around it")
	case lead:
		parts = append(parts, "with a leading space")
	case trail:
		parts = append(parts, "with a trailing space")
	}
	if strings.TrimSpace(c) != want {
		parts = append(parts, "in another case")
	}
	return " " + strings.Join(parts, " and ") + " (column names are matched exactly)"
}

// levenshtein is the edit distance between a and b, counted in runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
