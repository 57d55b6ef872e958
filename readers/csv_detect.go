package readers

import (
	"fmt"
	"strings"
)

// delimiterCandidates are the delimiters a CSV source may use, in order of preference: when two
// are equally frequent in the header line, the earlier one wins.
var delimiterCandidates = []rune{',', ';', '\t', '|'}

// parseDelimiter resolves a declared delimiter. "" means detect (returned as 0). A tab may be
// written as the tab character or as the two characters `\t` (what a YAML single-quoted or plain
// scalar gives); "tab" is accepted too.
func parseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case ",":
		return ',', nil
	case ";":
		return ';', nil
	case "|":
		return '|', nil
	case "\t", `\t`, "tab", "TAB":
		return '\t', nil
	}
	return 0, fmt.Errorf(`delimiter %q is not supported; use one of ",", ";", "\t" (tab) or "|", or leave it out to detect it from the header line`, s)
}

// detectDelimiter chooses the delimiter of the header line at the start of text: the candidate
// that occurs most often outside double quotes on the first line that has something other than
// white space and delimiters (the reader skips such lines as blank). A header whose
// quoted names span lines is counted to its end. Ties, and a header with no candidate at all (a
// single column), give ','. Only the text given is looked at, so a header longer than text is
// judged on its beginning.
func detectDelimiter(text []byte) rune {
	counts := make(map[rune]int, len(delimiterCandidates))
	inQuotes := false
	content := false // the current line has something other than white space
	for _, c := range string(text) {
		switch {
		case c == '"':
			inQuotes = !inQuotes
			content = true
		case inQuotes:
		case c == '\n':
			if content {
				return mostFrequent(counts)
			}
			clear(counts) // a blank line, or one of delimiters only, which the reader skips too
		case isCandidate(c):
			counts[c]++
		case !strings.ContainsRune(" \t\r\v\f", c):
			content = true
		}
	}
	return mostFrequent(counts)
}

func isCandidate(c rune) bool {
	for _, d := range delimiterCandidates {
		if c == d {
			return true
		}
	}
	return false
}

// mostFrequent returns the candidate with the highest count, preferring earlier candidates on
// ties; ',' when none occurs.
func mostFrequent(counts map[rune]int) rune {
	best, bestN := ',', 0
	for _, d := range delimiterCandidates {
		if counts[d] > bestN {
			best, bestN = d, counts[d]
		}
	}
	return best
}
