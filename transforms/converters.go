package transforms

import (
	"fmt"
	"sort"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// On Key ReferenceLookup converters (API-FACTS.md, seed 004): the server resolves such an object
// to the id of the entity with the given code, or with the given combination of property values.
//
//	code("A20")                      -> {"converter": "ReferenceLookup", "type": "Code", "code": "A20"}
//	custom({"Site->Code": "A10"})    -> {"converter": "ReferenceLookup", "type": "Custom",
//	                                     "properties": {"Site->Code": "A10"}}
const referenceLookup = "ReferenceLookup"

// orderedFunc is the internal function that map literals in output position are rewritten to
// (see orderLiterals): it builds an Object from key, value pairs in the order written. The name
// cannot be written in an expression.
const orderedFunc = "$object"

// converterFunctions are code, custom and the internal ordered-object builder.
func converterFunctions() []funcDef {
	return []funcDef{
		{"code", fnCode, []any{new(func(any) any)}},
		{"custom", fnCustom, []any{new(func(any) any)}},
		{orderedFunc, fnOrdered, nil},
	}
}

// fnCode builds a Code ReferenceLookup; nil gives nil (the property is left out).
func fnCode(args ...any) (any, error) {
	if isNil(args[0]) {
		return nil, nil
	}
	c, err := asText("code", args[0])
	if err != nil {
		return nil, err
	}
	if c == "" {
		return nil, fmt.Errorf("code: the code is empty")
	}
	return Object{{"converter", referenceLookup}, {"type", "Code"}, {"code", c}}, nil
}

// fnCustom builds a Custom ReferenceLookup from a map of property paths to values, keeping the
// order written in a map literal. When every value is nil the result is nil; when only some
// are, that is an error (the server could not resolve the reference).
func fnCustom(args ...any) (any, error) {
	props, isObj := args[0].(Object)
	if m, ok := asMap(args[0]); ok {
		props = sortedObject(m)
	} else if !isObj {
		return nil, fmt.Errorf("custom: expected a map such as {\"Site->Code\": row.site}, got %s", show(args[0]))
	}
	if len(props) == 0 {
		return nil, fmt.Errorf("custom: the map is empty")
	}
	var missing []string
	for _, p := range props {
		if isNil(p.Value) {
			missing = append(missing, p.Key)
		}
	}
	switch {
	case len(missing) == len(props):
		return nil, nil
	case len(missing) > 0:
		return nil, fmt.Errorf("custom: %q is nil", missing[0])
	}
	return Object{{"converter", referenceLookup}, {"type", "Custom"}, {"properties", props}}, nil
}

// fnOrdered builds an Object from alternating keys and values.
func fnOrdered(args ...any) (any, error) {
	o := make(Object, 0, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		k, err := asText("map key", args[i])
		if err != nil {
			return nil, err
		}
		o = append(o, Member{Key: k, Value: args[i+1]})
	}
	return o, nil
}

// sortedObject turns a Go map into an Object with its keys sorted, for a stable payload.
func sortedObject(m map[string]any) Object {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := make(Object, len(keys))
	for i, k := range keys {
		o[i] = Member{Key: k, Value: m[k]}
	}
	return o
}

// orderLiterals is an expr AST visitor that keeps the key order of map literals whose value
// goes into the payload: the whole expression when it is a map (or a list of maps), and the
// argument of custom(). Such a literal becomes a call of $object(k1, v1, k2, v2, ...), which
// builds an Object; nested literals in its values are rewritten too. Map literals elsewhere
// (an index, an argument of map_value) stay Go maps, so `{"A": 1}[x]` works as usual.
type orderLiterals struct {
	// root is the location of the expression's top node when that is a map or list literal
	// (no other map or list literal starts at the same place).
	root    file.Location
	hasRoot bool
}

// Visit implements ast.Visitor. expr walks the tree children first, so literals are rewritten
// when their parent (or, for the root, the root itself) is visited.
func (v *orderLiterals) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == "custom" && len(n.Arguments) == 1 {
			orderLiteral(&n.Arguments[0])
		}
	case *ast.MapNode, *ast.ArrayNode:
		if v.hasRoot && (*node).Location() == v.root {
			orderLiteral(node)
		}
	}
}

// orderLiteral rewrites the map literal at node, and map literals nested in its values or in a
// list literal at node, into $object calls.
func orderLiteral(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.ArrayNode:
		for i := range n.Nodes {
			orderLiteral(&n.Nodes[i])
		}
	case *ast.MapNode:
		args := make([]ast.Node, 0, 2*len(n.Pairs))
		for _, p := range n.Pairs {
			pair, ok := p.(*ast.PairNode)
			if !ok {
				return
			}
			orderLiteral(&pair.Value)
			args = append(args, pair.Key, pair.Value)
		}
		ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: orderedFunc}, Arguments: args})
	}
}
