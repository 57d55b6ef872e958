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
	// parent is set when an expression reads `parent`, the parent record's result.
	parent bool
}

// UsesParent reports whether the mapping reads `parent` (the parent record's result, such as
// parent.id), which is known only once the parent has been sent: such a record is mapped again
// then.
func (m *Mapping) UsesParent() bool { return m.columns.parent }

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
			v.named++
		}
	}
}
