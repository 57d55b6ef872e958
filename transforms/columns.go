package transforms

import (
	"github.com/expr-lang/expr/ast"
)

// columnSet is the set of row columns a mapping's expressions read. It lets a cell error
// invalidate only the records whose mapping uses that cell: a bad quantity on an order line
// makes the line invalid, not the order built from the same row.
type columnSet struct {
	names map[string]bool
	// all is set when an expression reads the row in a way that cannot be narrowed to named
	// columns (row[someExpression], or row passed whole to a function).
	all bool
}

// Uses reports whether the mapping reads the named column of its row.
func (m *Mapping) Uses(column string) bool {
	return m.columns.all || m.columns.names[column]
}

// add records the columns tree reads.
func (s *columnSet) add(tree ast.Node) {
	if s.names == nil {
		s.names = map[string]bool{}
	}
	v := &columnVisitor{set: s}
	ast.Walk(&tree, v)
	if v.rowIdents > v.named {
		s.all = true
	}
}

// columnVisitor counts the uses of the identifier `row` and those of them that are a member
// access by a constant name (row.x, row["x"], row?.x).
type columnVisitor struct {
	set              *columnSet
	rowIdents, named int
}

// Visit implements ast.Visitor.
func (v *columnVisitor) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if n.Value == "row" {
			v.rowIdents++
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		if !ok || id.Value != "row" {
			return
		}
		if name, ok := n.Property.(*ast.StringNode); ok {
			v.set.names[name.Value] = true
			v.named++
		}
	}
}
