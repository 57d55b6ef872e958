package main

import (
	"slices"
	"strings"
)

// suggest returns the candidates a mistyped word most likely meant: those at the smallest edit
// distance from it (insertions, deletions, substitutions and swaps of neighbours, ignoring
// case), when that distance is at most 1 for words of up to 4 letters and 2 for longer ones;
// failing that, the only candidate the word is a prefix of (three letters at least). None when
// nothing is that close. The word itself is never suggested. The result is sorted.
func suggest(word string, candidates []string) []string {
	w := strings.ToLower(word)
	limit := 2
	if len([]rune(w)) <= 4 {
		limit = 1
	}
	best, out := limit+1, []string(nil)
	for _, c := range candidates {
		d := editDistance(w, strings.ToLower(c))
		switch {
		case c == word || d > limit || d > best:
		case d < best:
			best, out = d, []string{c}
		default:
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(w) >= 3 {
		for _, c := range candidates {
			if c != word && strings.HasPrefix(strings.ToLower(c), w) {
				out = append(out, c)
			}
		}
		if len(out) != 1 {
			out = nil
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// editDistance is the optimal string alignment distance between a and b: the fewest
// insertions, deletions, substitutions and transpositions of adjacent runes that turn a into b.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j].
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}
