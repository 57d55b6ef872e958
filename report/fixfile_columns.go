package report

import (
	"fmt"

	"github.com/bulkload/bulkload/readers"
)

// ErrorsColumn is the column a fix file adds to the source's own with the row's messages, each
// naming its cell in the source. Typing ignores a column of this name, so a corrected fix file
// can be fed back as the source unchanged.
const ErrorsColumn = "bulkload_errors"

// OriginColumn is the column a fix file adds after ErrorsColumn with the row's place in the
// source it came from ("orders.csv:12", "sites.xlsx Sites!7"): the fix file's own rows are
// numbered differently. Typing ignores it as it ignores ErrorsColumn. A fix file made from a fix
// file keeps the first origin.
const OriginColumn = "bulkload_origin"

// fixColumns are the columns a fix file adds, in their order.
var fixColumns = []string{ErrorsColumn, OriginColumn}

// IsFixColumn reports whether a column is one a fix file adds, which typing and the unused-column
// count ignore.
func IsFixColumn(name string) bool { return name == ErrorsColumn || name == OriginColumn }

// fixCols knows where the fix columns of a source that is itself a fix file are, so that its
// fix file replaces them instead of adding them a second time.
type fixCols struct {
	at     map[int]bool // indexes of the source's fix columns
	origin int          // index of its OriginColumn; -1 when none
}

func newFixCols(columns []string) fixCols {
	fc := fixCols{at: map[int]bool{}, origin: -1}
	for i, c := range columns {
		if IsFixColumn(c) {
			fc.at[i] = true
			if c == OriginColumn {
				fc.origin = i
			}
		}
	}
	return fc
}

// any reports whether the source has fix columns.
func (fc fixCols) any() bool { return len(fc.at) > 0 }

// originOf is the origin to write for r: the one its source recorded, if it is a fix file with
// one, else r's own.
func (fc fixCols) originOf(r readers.Row) string {
	if fc.origin >= 0 && fc.origin < len(r.Values) {
		if s := fmt.Sprint(r.Values[fc.origin]); s != "" && s != "<nil>" {
			return s
		}
	}
	return r.Origin.String()
}
