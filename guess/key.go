package guess

import (
	"fmt"
	"strings"
)

// keyColumns bounds the columns a pair key is sought among, keyRows the rows it is checked on (a
// pair's values are kept for each row, so that a large sample stays within memory).
const (
	keyColumns = 12
	keyRows    = 100000
)

// keyTexts returns the row's first keyColumns values as text, keyed by column name order.
func keyTexts(names []string, values []any) []string {
	n := min(len(names), keyColumns)
	out := make([]string, n)
	for i := 0; i < n && i < len(values); i++ {
		if values[i] != nil {
			out[i] = strings.TrimSpace(fmt.Sprint(values[i]))
		}
	}
	return out
}

// pairKey returns two required string or integer columns whose values together are unique in
// the sample, the first such pair in column order (with named, of columns named as keys); empty when there is none. texts holds each
// row's values of the first keyColumns columns, in the order of cols.
func pairKey(cols []Column, texts [][]string, named bool) (string, string) {
	var cand []int
	for i, c := range cols {
		if i < keyColumns && c.Required && (c.Type == String || c.Type == Integer) && (!named || keyName(c.Name)) {
			cand = append(cand, i)
		}
	}
	for a := 0; a < len(cand); a++ {
		for b := a + 1; b < len(cand); b++ {
			if uniquePair(texts, cand[a], cand[b]) {
				return cols[cand[a]].Name, cols[cand[b]].Name
			}
		}
	}
	return "", ""
}

func uniquePair(texts [][]string, a, b int) bool {
	seen := make(map[[2]string]struct{}, len(texts))
	for _, t := range texts {
		if a >= len(t) || b >= len(t) {
			return false
		}
		k := [2]string{t[a], t[b]}
		if _, ok := seen[k]; ok {
			return false
		}
		seen[k] = struct{}{}
	}
	return len(texts) > 1
}
