package report

import "unicode/utf8"

// Formula injection (OWASP, "CSV Injection"): a spreadsheet that opens a CSV file runs a cell
// that starts with =, +, - or @ as a formula (and a leading tab or carriage return can hide such
// a start), so a value from a source file or from a target's answer could make report.csv or a
// CSV fix file run a command or send data away when a user opens it.

// neutraliser is put in front of a cell that a spreadsheet would run: the spreadsheet then shows
// the cell as text. It is a single quote, as OWASP recommends.
const neutraliser = "'"

// CellSafe returns s as a CSV cell that a spreadsheet shows as text and never runs: s with a
// single quote in front when it starts with =, +, -, @, a tab or a carriage return, and s as it
// is otherwise. Two kinds of value are left as they are, because nothing can be run from them and
// fix files are read back:
//
//   - a plain number: a sign, digits with the separators a locale may use (. , space, no-break
//     space, '), and an exponent: "-12.5", "+41 79 123 45 67", "-1 234,50", "-1.5e-3";
//   - the character alone: "-" (a common placeholder), "=", "+", "@".
//
// report.jsonl, JSON fix files and XLSX fix files need none of this: their strings are never
// formulas. The quote stays in the value when a CSV fix file is read back (see writeFixFile).
func CellSafe(s string) string {
	if len(s) < 2 {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return neutraliser + s
	case '+', '-':
		if plainNumber(s[1:]) {
			return s
		}
		return neutraliser + s
	}
	return s
}

// plainNumber reports whether s (after a leading sign) is digits with number separators,
// optionally followed by an exponent: "12.5", "1 234,50", "1'000", "1.5e-3".
func plainNumber(s string) bool {
	digits := 0
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == '.', r == ',', r == ' ', r == '\'', r == '\u00a0', r == '\u202f':
		default:
			if digits > 0 && (r == 'e' || r == 'E') {
				return exponent(s[i+1:])
			}
			return false
		}
		i += size
	}
	return digits > 0
}

// exponent reports whether s is an optionally signed run of digits.
func exponent(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CellsSafe applies CellSafe to every cell of rec, in place, and returns rec.
func CellsSafe(rec []string) []string {
	for i, c := range rec {
		rec[i] = CellSafe(c)
	}
	return rec
}
