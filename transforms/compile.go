package transforms

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/bulkload/bulkload/spec"
)

// exprEnv declares the variables an expression may use, so that any other name is a compile
// error. Their fields are not declared: row.anything compiles, and is nil when the row lacks it.
var exprEnv = map[string]any{
	"row":    map[string]any{},
	"outer":  map[string]any{},
	"parent": map[string]any{},
}

// Compile compiles every expression of every entity of the job once (userObjectId, id, when,
// parent.userObjectId and each leaf of properties) and loads the job's lookup tables. Problems
// are returned together as spec.Errors, sorted by position: each is placed at the expression's
// YAML scalar (or the lookup's entry) and names its path, such as
// "entities[1].properties.code". The Mappings are read-only and safe for concurrent use.
func Compile(job *spec.Job) (*Mappings, error) {
	tables, errs := loadLookups(job)
	c := &compiler{job: job, errs: errs}
	ms := &Mappings{bySource: map[string][]*Mapping{}}
	for i := range job.Entities {
		m := c.entity(i, tables)
		ms.all = append(ms.all, m)
		ms.bySource[m.source] = append(ms.bySource[m.source], m)
	}
	if len(c.errs) > 0 {
		slices.SortStableFunc(c.errs, func(a, b *spec.Error) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Path, b.Path))
		})
		return nil, c.errs
	}
	return ms, nil
}

// nodeKind says what a compiled value is.
type nodeKind int

const (
	exprNode    nodeKind = iota // an expression
	literalNode                 // a YAML number or boolean
	nullNode                    // YAML null: JSON null in the payload
	objectNode                  // an object of values, in spec order
	arrayNode                   // a list of values
)

// node is one compiled value of a mapping.
type node struct {
	kind  nodeKind
	field string      // the name of the value in mapping errors: "properties.code"
	prog  *vm.Program // exprNode; nil when it did not compile (Compile then fails)
	// column is, for an exprNode that only reads a column of the row (row.x, row["x"]),
	// the column: its value is the row's, as the program would fetch it, without running it.
	column   string
	isColumn bool
	lit      any         // literalNode
	fields   []fieldNode // objectNode
	items    []*node     // arrayNode
}

// fieldNode is one member of an object node.
type fieldNode struct {
	name string
	node *node
}

// compiler holds the state of one Compile call.
type compiler struct {
	job  *spec.Job
	errs spec.Errors
	opts []expr.Option // the current entity's functions
	cols *columnSet    // the columns the current entity reads
}

// fail records a problem with the value at pos.
func (c *compiler) fail(pos spec.Pos, path, format string, args ...any) {
	c.errs = append(c.errs, &spec.Error{File: c.job.File, Pos: pos, Path: path, Msg: shortLine(fmt.Sprintf(format, args...))})
}

// entity compiles the i'th entity.
func (c *compiler) entity(i int, tables map[string]*lookupTable) *Mapping {
	e := &c.job.Entities[i]
	scope := &funcScope{lookups: tables, decimal: ".", thousands: ""}
	if src, ok := c.job.Source(e.Source); ok {
		if src.Typing.Decimal != "" {
			scope.decimal = src.Typing.Decimal
		}
		scope.thousands = src.Typing.Thousands
	}
	c.opts = append([]expr.Option{expr.Env(exprEnv)}, functionOptions(scope)...)
	c.cols = &columnSet{}

	base := fmt.Sprintf("entities[%d].", i)
	m := &Mapping{
		name: e.Name, source: e.Source, distinct: e.Distinct, kind: c.job.Target.Kind,
		entityType: e.EntityType, action: e.Action, endpoint: e.Endpoint, groupOrder: e.GroupOrder,
		head: [2]Member{{"entityType", e.EntityType}, {"action", e.Action}},
	}
	m.when = c.value(e.When, base+"when", "when")
	if m.when != nil {
		if _, isBool := m.when.lit.(bool); m.when.kind != exprNode && !isBool {
			c.fail(e.When.Pos, base+"when", "must be true, false or a boolean expression")
		} else if m.when.prog != nil {
			c.checkType(m.when, e.When, base+"when", "a boolean (true or false)", reflect.Bool)
		}
	}
	m.uoid = c.value(e.UserObjectID, base+"userObjectId", "userObjectId")
	if m.uoid != nil && m.uoid.prog != nil {
		c.checkType(m.uoid, e.UserObjectID, base+"userObjectId", "text or an integer",
			reflect.String, reflect.Int, reflect.Int64, reflect.Float64)
	}
	if e.Parent != nil {
		m.parent = e.Parent.Entity
		m.parentUOID = c.value(e.Parent.UserObjectID, base+"parent.userObjectId", "parent.userObjectId")
	}
	m.id = c.value(e.ID, base+"id", "id")
	m.props = c.value(e.Properties, base+"properties", "properties")
	m.columns = c.cols
	return m
}

// checkType reports an expression whose result type is known at compile time and is not one
// of the wanted kinds (an expression of unknown type, such as row.x, passes).
func (c *compiler) checkType(n *node, v *spec.Value, path, want string, kinds ...reflect.Kind) {
	t := n.prog.Node().Type()
	if t == nil || t.Kind() == reflect.Interface || slices.Contains(kinds, t.Kind()) {
		return
	}
	c.fail(v.Pos, path, "must give %s; this expression gives %s", want, kindName(t))
}

// kindName names a Go type the way the mapping language's users think of it.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "text"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	if isIntKind(reflect.Zero(t).Interface()) {
		return "an integer"
	}
	return t.String()
}

// value compiles one spec value: an expression, a literal, or an object or list of values.
// specPath names it in spec errors, field in mapping errors. It returns nil for a nil value.
func (c *compiler) value(v *spec.Value, specPath, field string) *node {
	if v == nil {
		return nil
	}
	n := &node{field: field}
	switch {
	case v.IsArray:
		n.kind = arrayNode
		for i, item := range v.Items {
			suffix := fmt.Sprintf("[%d]", i)
			n.items = append(n.items, c.value(item, specPath+suffix, field+suffix))
		}
	case v.IsNull:
		n.kind = nullNode
	case v.Literal != nil:
		n.kind, n.lit = literalNode, v.Literal
	case v.Expr != "":
		n.kind, n.prog = exprNode, c.expression(v.Expr, v.Pos, specPath)
		if n.prog != nil {
			n.column, n.isColumn = rowColumn(v.Expr)
		}
	default:
		n.kind = objectNode
		for _, f := range v.Fields {
			n.fields = append(n.fields, fieldNode{name: f.Name, node: c.value(f.Value, specPath+"."+f.Name, field+"."+f.Name)})
		}
	}
	return n
}

// rowColumn reports whether src is only a read of one column of the row by a constant name,
// and which.
func rowColumn(src string) (string, bool) {
	tree, err := parser.Parse(src)
	if err != nil {
		return "", false
	}
	m, ok := tree.Node.(*ast.MemberNode)
	if !ok || m.Method {
		return "", false
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	name, isName := m.Property.(*ast.StringNode)
	if !ok || id.Value != "row" || !isName {
		return "", false
	}
	return name.Value, true
}

// expression compiles src, recording any problem at pos.
func (c *compiler) expression(src string, pos spec.Pos, path string) *vm.Program {
	order := &orderLiterals{}
	if tree, err := parser.Parse(src); err == nil {
		c.cols.add(tree.Node, path, pos)
		switch tree.Node.(type) {
		case *ast.MapNode, *ast.ArrayNode:
			order.root, order.hasRoot = tree.Node.Location(), true
		}
	}
	lits := &literalChecks{lookups: c.job.Lookups}
	opts := append(slices.Clip(c.opts), expr.Patch(order), expr.Patch(lits))
	prog, err := expr.Compile(src, opts...)
	for _, p := range lits.problems {
		c.fail(pos, path, "%s (%s of the expression)", p.msg, where(src, p.loc.From))
	}
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			c.fail(pos, path, "%s (%s of the expression)", fe.Message, where(src, fe.From))
		} else {
			c.fail(pos, path, "%v", err)
		}
		return nil
	}
	return prog
}

// where describes a rune offset of an expression: "column 7", or "line 2, column 3" when the
// expression has several lines.
func where(src string, offset int) string {
	line, col := 1, 1
	for i, r := range []rune(src) {
		if i >= offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
			continue
		}
		col++
	}
	if strings.Contains(src, "\n") {
		return fmt.Sprintf("line %d, column %d", line, col)
	}
	return fmt.Sprintf("column %d", col)
}

// literalChecks is an expr AST visitor that checks, at compile time, the arguments written as
// literals that would otherwise fail on every row: the table name of lookup() and the pattern
// of the regex functions (which it compiles into the shared cache).
type literalChecks struct {
	lookups  []spec.Lookup
	problems []problem
}

// problem is a compile-time problem found by a visitor, at a place in the expression.
type problem struct {
	loc file.Location
	msg string
}

// Visit implements ast.Visitor.
func (v *literalChecks) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	arg := func(i int) (*ast.StringNode, bool) {
		if i >= len(call.Arguments) {
			return nil, false
		}
		s, ok := call.Arguments[i].(*ast.StringNode)
		return s, ok
	}
	switch id.Value {
	case "lookup":
		if s, ok := arg(0); ok && !slices.ContainsFunc(v.lookups, func(l spec.Lookup) bool { return l.Name == s.Value }) {
			v.problems = append(v.problems, problem{s.Location(), fmt.Sprintf("lookup: no lookup table named %q%s", s.Value, declared(v.lookups))})
		}
	case "regex_match", "regex_replace", "regex_find":
		if s, ok := arg(1); ok {
			if _, err := compileRegex(s.Value); err != nil {
				v.problems = append(v.problems, problem{s.Location(), fmt.Sprintf("%s: %v", id.Value, err)})
			}
		}
	}
}

// declared lists the lookup tables for a message.
func declared(ls []spec.Lookup) string {
	if len(ls) == 0 {
		return " (the job declares no lookups)"
	}
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Name
	}
	return " (declared: " + strings.Join(names, ", ") + ")"
}
