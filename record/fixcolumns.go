package record

// ErrorsColumn is the column a fix file adds to the source's own with the row's messages, each
// naming its cell in the source. Evaluation ignores a column of this name, so that a corrected
// fix file can be fed back as the source unchanged.
const ErrorsColumn = "bulkload_errors"

// OriginColumn is the column a fix file adds after ErrorsColumn with the row's place in the
// source it came from ("orders.csv:12", "sites.xlsx Sites!7"): the fix file's own rows are
// numbered differently. Evaluation ignores it as it ignores ErrorsColumn. A fix file made from a
// fix file keeps the first origin.
const OriginColumn = "bulkload_origin"

// FixColumns are the columns a fix file adds, in their order. Callers must not modify it.
var FixColumns = []string{ErrorsColumn, OriginColumn}

// IsFixColumn reports whether a column is one a fix file adds, which typing and the
// unused-column count ignore.
func IsFixColumn(name string) bool { return name == ErrorsColumn || name == OriginColumn }
