package spec

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// node is one value of the spec after aliases are followed and ${ENV} references expanded, with
// its place in the file. Scalars hold nil, bool, int64, float64 or string.
type node struct {
	kind   nodeKind
	scalar any
	fields []field // a mapping, in document order
	items  []*node // a sequence
	pos    Pos
	path   string // "entities[1].groupOrder"
	ptr    string // the JSON pointer that jsonschema reports: "/entities/1/groupOrder"
}

// field is one key of a mapping node.
type field struct {
	key    string
	keyPos Pos
	value  *node
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

// maxNodes bounds the nodes one spec may expand to, so aliases cannot multiply it without limit.
const maxNodes = 100_000

// get returns the value of key in a mapping node, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for _, f := range n.fields {
		if f.key == key {
			return f.value
		}
	}
	return nil
}

// json converts the node to the values jsonschema validates: map[string]any, []any and scalars.
func (n *node) json() any {
	switch n.kind {
	case mapNode:
		m := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			m[f.key] = f.value.json()
		}
		return m
	case seqNode:
		a := make([]any, len(n.items))
		for i, it := range n.items {
			a[i] = it.json()
		}
		return a
	}
	return n.scalar
}

// describe names the node's value for messages: "a mapping", "a list", "null", or the scalar.
func (n *node) describe() string {
	switch n.kind {
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a list"
	}
	switch v := n.scalar.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	default:
		return fmt.Sprint(v)
	}
}

// builder turns a yaml.Node tree into a node tree, reporting what it cannot convert.
type builder struct {
	env      func(string) (string, bool)
	probs    *problems
	byPtr    map[string]*node
	bad      map[string]bool     // pointers of values already reported, whose schema errors are noise
	reported map[reportKey]bool  // problems already reported, so an alias does not repeat them
	active   map[*yaml.Node]bool // the collections being built, to catch an alias inside its own anchor
	count    int
}

// reportKey is one problem with one YAML node.
type reportKey struct {
	n   *yaml.Node
	msg string
}

// fail reports a problem with the YAML node n, found at ptr, and marks ptr so the schema does
// not report it again. A node met again through an alias is reported only the first time.
func (b *builder) fail(n *yaml.Node, ptr string, pos Pos, path, format string, args ...any) {
	b.bad[ptr] = true
	key := reportKey{n, fmt.Sprintf(format, args...)}
	if b.reported[key] {
		return
	}
	b.reported[key] = true
	b.probs.add(pos, path, "%s", key.msg)
}

// build converts n, found at path/ptr. It returns nil (and reports why) when n cannot be
// converted at all.
func (b *builder) build(n *yaml.Node, path, ptr string) *node {
	pos := Pos{Line: n.Line, Col: n.Column}
	if b.count++; b.count > maxNodes {
		b.bad[ptr] = true
		if b.count == maxNodes+1 {
			b.probs.add(pos, path, "the spec expands to more than %d values (aliases?)", maxNodes)
		}
		return nil
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil || b.active[n.Alias] {
			b.fail(n, ptr, pos, path, "alias *%s refers to a value that contains it", n.Value)
			return nil
		}
		out := b.build(n.Alias, path, ptr)
		if out != nil {
			out.pos = pos
		}
		return out
	}
	out := &node{pos: pos, path: path, ptr: ptr}
	b.byPtr[ptr] = out
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		b.active[n] = true
		defer delete(b.active, n)
	}
	switch n.Kind {
	case yaml.MappingNode:
		out.kind = mapNode
		b.mapping(n, out)
	case yaml.SequenceNode:
		out.kind = seqNode
		for i, c := range n.Content {
			out.items = append(out.items, b.buildOr(c, fmt.Sprintf("%s[%d]", path, i), ptr+"/"+strconv.Itoa(i)))
		}
	case yaml.ScalarNode:
		out.scalar = b.scalarValue(n, path, ptr)
	default:
		b.fail(n, ptr, pos, path, "unexpected YAML content")
		return nil
	}
	return out
}

// buildOr is build, with a null placeholder for a value that cannot be converted.
func (b *builder) buildOr(n *yaml.Node, path, ptr string) *node {
	if out := b.build(n, path, ptr); out != nil {
		return out
	}
	return &node{pos: Pos{Line: n.Line, Col: n.Column}, path: path, ptr: ptr}
}

// mapping fills out's fields from the mapping node n.
func (b *builder) mapping(n *yaml.Node, out *node) {
	seen := map[string]Pos{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		keyPos := Pos{Line: n.Content[i].Line, Col: n.Content[i].Column}
		if k.Kind != yaml.ScalarNode {
			b.probs.add(keyPos, out.path, "a key must be a plain name, not %s", kindName(k.Kind))
			continue
		}
		key := k.Value
		path := joinPath(out.path, key)
		if k.ShortTag() == "!!merge" {
			b.probs.add(keyPos, out.path, "merge keys (<<) are not supported; write the keys out")
			continue
		}
		if first, dup := seen[key]; dup {
			b.probs.add(keyPos, path, "duplicate key %q (first at line %d)", key, first.Line)
			continue
		}
		seen[key] = keyPos
		val := b.buildOr(v, path, out.ptr+"/"+escapePointer(key))
		out.fields = append(out.fields, field{key: key, keyPos: keyPos, value: val})
	}
}

// scalarValue reads a scalar as nil, bool, int64, float64 or string, expanding ${ENV}
// references first. A plain (unquoted) scalar that held a reference is typed by its expanded
// text, as if the value had been written in its place.
func (b *builder) scalarValue(n *yaml.Node, path, ptr string) any {
	pos := Pos{Line: n.Line, Col: n.Column}
	tag := n.ShortTag()
	text := n.Value
	if tag == "!!str" {
		expanded, changed, msgs := interpolate(text, b.env)
		for _, m := range msgs {
			b.fail(n, ptr, pos, path, "%s", m)
		}
		text = expanded
		if changed && n.Style == 0 {
			tag = (&yaml.Node{Kind: yaml.ScalarNode, Value: text}).ShortTag()
		}
	}
	switch tag {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := (&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: text}).Decode(&v); err != nil {
			b.fail(n, ptr, pos, path, "cannot read %q as %s", text, strings.TrimPrefix(tag, "!!"))
			return text
		}
		return b.number(n, v, text, pos, path, ptr)
	}
	return text // strings, timestamps and custom tags keep their text
}

// number normalizes a decoded YAML scalar to bool, int64 or a finite float64.
func (b *builder) number(n *yaml.Node, v any, text string, pos Pos, path, ptr string) any {
	switch v := v.(type) {
	case bool, int64:
		return v
	case int:
		return int64(v)
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v)
		}
		return float64(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.fail(n, ptr, pos, path, "%s is not a finite number", text)
			return text
		}
		return v
	}
	return text
}

// kindName names a YAML node kind for messages.
func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a value"
}

// joinPath appends a key to a path: "target" + "url" -> "target.url". Keys that are not
// identifiers are quoted: entities[0].properties["a.b"].
func joinPath(path, key string) string {
	if !isIdentifier(strings.ReplaceAll(key, "-", "_")) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// escapePointer escapes a key as jsonschema does in an InstanceLocation.
func escapePointer(key string) string {
	key = strings.ReplaceAll(key, "~", "~0")
	key = strings.ReplaceAll(key, "/", "~1")
	return url.PathEscape(key)
}
