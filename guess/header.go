package guess

import "strings"

// rawRow is one row of the first rows of a file, before the header is known: its 1-based
// physical line (CSV) or Excel row number, and its cells.
type rawRow struct {
	line  int
	cells []string
}

// headerGuess is where the header is and what lies above it.
type headerGuess struct {
	row    int      // 1-based line or row of the header
	titles []string // the non-blank rows above it, joined cells, for the comment
}

// findHeader chooses the header among the first rows: the first row with at least two non-blank
// cells and at least 60% of the cells of the widest row (a title or a note above the header has
// fewer), none of them a number (column names are words). A file whose rows have one cell has
// its first non-blank row as header. ok is false when no row qualifies.
func findHeader(rows []rawRow) (headerGuess, bool) {
	width := 0
	for _, r := range rows {
		width = max(width, nonBlank(r.cells))
	}
	need := max(2, (width*6+9)/10)
	if width == 1 {
		need = 1
	}
	var g headerGuess
	for _, r := range rows {
		n := nonBlank(r.cells)
		if n >= need && !anyNumber(r.cells) {
			g.row = r.line
			return g, true
		}
		if n > 0 {
			g.titles = append(g.titles, strings.Join(strings.Fields(strings.Join(r.cells, " ")), " "))
		}
	}
	return headerGuess{}, false
}

func nonBlank(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func anyNumber(cells []string) bool {
	for _, c := range cells {
		if locales[0].parse(strings.TrimSpace(c)) != notNumber {
			return true
		}
	}
	return false
}
