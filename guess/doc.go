// Package guess writes a starter job from data files alone, as `bulkload init` does: it sniffs a
// CSV file's encoding, delimiter and header row, finds a workbook's sheets, reads a bounded sample
// of rows through package readers and guesses each column's type (integer, number, boolean, date,
// date-time, string, and object or array for JSON), the number locale and date layouts, which
// columns are required, which have a handful of values (enum) and which one is unique enough to
// key the records. Every guess rests on positive evidence: a column gets a type only when the
// values it saw are written that way, and what could not be decided (an ambiguous date layout, a
// few values that fit no type) is said in the comments of the job it writes. Nothing imports this
// package but cmd/bulkload.
package guess
