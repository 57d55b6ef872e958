package readers

import "fmt"

// Headed is a Source whose rows have a fixed set of columns, known once it is open: a CSV file or
// an XLSX sheet. Header returns the column names in source order (from the header row, or from
// the spec's columns for a file without one); the slice is shared and MUST NOT be modified.
// HeaderAt names where the names come from, for messages: "orders.csv:1", "sites.xlsx Sites!3",
// or "orders.csv (columns in the spec)".
type Headed interface {
	Source
	Header() []string
	HeaderAt() string
}

var (
	_ Headed = (*csvSource)(nil)
	_ Headed = (*xlsxSource)(nil)
)

// Header returns the column names. See Headed.
func (s *csvSource) Header() []string { return s.columns }

// Header returns the column names. See Headed.
func (s *xlsxSource) Header() []string { return s.columns }

// HeaderAt names the header line. See Headed.
func (s *csvSource) HeaderAt() string {
	if s.headerLine == 0 {
		return s.file + " (columns in the spec)"
	}
	return fmt.Sprintf("%s:%d", s.file, s.headerLine)
}

// HeaderAt names the header row. See Headed.
func (s *xlsxSource) HeaderAt() string {
	if s.header == 0 {
		return fmt.Sprintf("%s %s (columns in the spec)", s.file, s.sheet)
	}
	return fmt.Sprintf("%s %s!%d", s.file, s.sheet, s.header)
}
