package spec

import (
	"fmt"
	"strings"
)

// suggest returns the candidate the user most likely meant by word, or "" when none is close:
// the same word in another case, the word with an "_env" suffix (a secret written in place of
// the variable that holds it), or one within edit distance 2 (1 for words of four letters or
// fewer). Ties go to the earlier candidate.
func suggest(word string, candidates []string) string {
	lw := strings.ToLower(word)
	for _, c := range candidates {
		if strings.ToLower(c) == lw {
			return c
		}
	}
	for _, c := range candidates {
		if strings.ToLower(c) == lw+"_env" {
			return c
		}
	}
	limit := 2
	if len(word) <= 4 {
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := editDistance(lw, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean renders suggest's answer as a message suffix: `; did you mean "groupOrder"?`.
func didYouMean(word string, candidates []string) string {
	s := suggest(word, candidates)
	switch {
	case s == "":
		return ""
	case strings.HasSuffix(s, "_env") && !strings.HasSuffix(word, "_env"):
		return fmt.Sprintf("; did you mean %q? (secrets never appear in a spec: name the environment variable that holds it)", s)
	}
	return fmt.Sprintf("; did you mean %q?", s)
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
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
