package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem in a job spec, placed by the spec file's line and column.
type Error struct {
	// File is the spec's path as given to Load.
	File string
	// Pos is where the problem is: the offending value, or the key for an unknown key, or the
	// mapping for a missing key. Zero when the problem has no place (an unreadable file).
	Pos
	// Path names the value in the spec, JSON style: "entities[1].groupOrder"; empty for the whole
	// spec.
	Path string
	// Msg says what is wrong, for a person to read.
	Msg string
}

// Error renders the problem as "job.yaml:14:7: entities[1].groupOrder: must be >= 1". The
// line, column and path are left out when unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a spec, sorted by line and column. Load returns a non-empty
// Errors whenever it fails; find it with errors.As(err, &errs) where errs is an Errors.
type Errors []*Error

// Error renders one problem per line, in order.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects the errors of one load.
type problems struct {
	file string
	errs Errors
}

// add records a problem at pos for the value at path.
func (p *problems) add(pos Pos, path, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// sorted returns the problems ordered by position, then path and message, without duplicates;
// nil when there are none.
func (p *problems) sorted() Errors {
	if len(p.errs) == 0 {
		return nil
	}
	es := slices.Clone(p.errs)
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(es, func(a, b *Error) bool { return *a == *b })
}
