package report

import (
	"fmt"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
)

// ErrorsColumn and OriginColumn are the columns a fix file adds (record.ErrorsColumn,
// record.OriginColumn).
const (
	ErrorsColumn = record.ErrorsColumn
	OriginColumn = record.OriginColumn
)

// fixColumns are the columns a fix file adds, in their order (record.FixColumns).
var fixColumns = record.FixColumns

// fixCols knows where the fix columns of a source that is itself a fix file are, so that its
// fix file replaces them instead of adding them a second time.
type fixCols struct {
	at     map[int]bool // indexes of the source's fix columns
	origin int          // index of its OriginColumn; -1 when none
}

func newFixCols(columns []string) fixCols {
	fc := fixCols{at: map[int]bool{}, origin: -1}
	for i, c := range columns {
		if record.IsFixColumn(c) {
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
