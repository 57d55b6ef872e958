package transforms

import (
	"cmp"
	"slices"

	"github.com/expr-lang/expr/ast"

	"github.com/bulkload/bulkload/spec"
)

// columnSet is the set of row columns a mapping's expressions read. It lets a cell error
// invalidate only the records whose mapping uses that cell: a bad quantity on an order line
// makes the line invalid, not the order built from the same row.
type columnSet struct {
	names map[string]bool
	// refs holds, for each name, the first expression (in compile order) that reads it.
	refs map[string]ColumnRef
	// all is set when an expression reads the row in a way that cannot be narrowed to named
	// columns (row[someExpression], or row passed whole to a function).
	all bool
	// parent is set when an expression reads `parent`, the parent record's result.
	parent bool
	// byPath holds, for each expression's spec path, the columns it reads by name in the order
	// it reads them (see FieldColumns).
	byPath map[string][]string
}

// UsesParent reports whether the mapping reads `parent` (the parent record's result, such as
// parent.id), which is known only once the parent has been sent: such a record is mapped again
// then.
func (m *Mapping) UsesParent() bool { return m.columns.parent }

// Uses reports whether the mapping reads the named column of its row.
func (m *Mapping) Uses(column string) bool {
	return m.columns.all || m.columns.names[column]
}

// ColumnRef is a place where a mapping reads a column of its row by name.
type ColumnRef struct {
	Column string
	// Path is the spec path of the expression ("entities[0].properties.description") and Pos the
	// position of its YAML scalar.
	Path string
	Pos  spec.Pos
}

// ColumnRefs returns the columns the mapping reads by name (row.x, row["x"]), each with the first
// expression that reads it, in spec order. Columns read through a computed name (row[expr]) are
// not among them.
func (m *Mapping) ColumnRefs() []ColumnRef {
	out := make([]ColumnRef, 0, len(m.columns.refs))
	for _, r := range m.columns.refs {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b ColumnRef) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// add records the columns tree reads; path and pos name the expression.
func (s *columnSet) add(tree ast.Node, path string, pos spec.Pos) {
	if s.names == nil {
		s.names = map[string]bool{}
		s.refs = map[string]ColumnRef{}
		s.byPath = map[string][]string{}
	}
	v := &columnVisitor{set: s, ref: ColumnRef{Path: path, Pos: pos}}
	ast.Walk(&tree, v)
	if v.rowIdents > v.named {
		s.all = true
	}
}

// columnVisitor counts the uses of the identifier `row` and those of them that are a member
// access by a constant name (row.x, row["x"], row?.x).
type columnVisitor struct {
	set              *columnSet
	ref              ColumnRef // the expression, without its Column
	rowIdents, named int
}

// Visit implements ast.Visitor.
func (v *columnVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch n.Value {
		case "row":
			v.rowIdents++
		case "parent":
			v.set.parent = true
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		if !ok || id.Value != "row" {
			return
		}
		if name, ok := n.Property.(*ast.StringNode); ok {
			v.set.names[name.Value] = true
			if cols := v.set.byPath[v.ref.Path]; !slices.Contains(cols, name.Value) {
				v.set.byPath[v.ref.Path] = append(cols, name.Value)
			}
			if _, seen := v.set.refs[name.Value]; !seen {
				ref := v.ref
				ref.Column = name.Value
				v.set.refs[name.Value] = ref
			}
			v.named++
		}
	}
}
