package main

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bulkload/bulkload/report"
)

// wrapText wraps each line of text at word boundaries to width columns. A continuation line is
// indented as its line is, plus four spaces. A word wider than the line (a long path) is kept
// whole on a line of its own, so that it can still be copied.
func wrapText(text string, width int) string {
	var b strings.Builder
	lines := strings.SplitAfter(text, "\n")
	for _, line := range lines {
		body, nl := strings.CutSuffix(line, "\n")
		if runeLen(body) <= width {
			b.WriteString(line)
			continue
		}
		indent := body[:len(body)-len(strings.TrimLeft(body, " "))]
		cont := indent + "    "
		b.WriteString(indent)
		col := runeLen(indent)
		first := true
		// Each word keeps the spaces before it (a column's alignment) unless it starts a line.
		for _, m := range wordRE.FindAllStringSubmatch(body[len(indent):], -1) {
			space, word := m[1], m[2]
			switch {
			case first:
				b.WriteString(word)
				col += runeLen(word)
				first = false
			case col+runeLen(space)+runeLen(word) <= width:
				b.WriteString(space + word)
				col += runeLen(space) + runeLen(word)
			default:
				b.WriteString("\n" + cont + word)
				col = runeLen(cont) + runeLen(word)
			}
		}
		if nl {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// wordRE is a word with the spaces before it.
var wordRE = regexp.MustCompile(`( *)([^ ]+)`)

// reportHTML is the path of the run's report.html, or "" when the run wrote none.
func reportHTML(s *report.Summary) string {
	if s.HTML == "" {
		return ""
	}
	return filepath.Join(s.RunDir, s.HTML)
}
