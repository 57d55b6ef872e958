package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/bulkload/bulkload/schemas"
)

// jobSchemaURL is the embedded job schema's $id and the resource name it is compiled under.
const jobSchemaURL = "https://bulkload.dev/schemas/job.schema.json"

// compiled is the job schema, compiled once, with its raw form for reading keywords back.
type compiled struct {
	schema *jsonschema.Schema
	raw    any
}

// jobSchema compiles the embedded job schema on first use; the result is safe to share.
var jobSchema = sync.OnceValues(func() (*compiled, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(jobSchemaURL, bytes.NewReader(schemas.JobSchema())); err != nil {
		return nil, err
	}
	s, err := c.Compile(jobSchemaURL)
	if err != nil {
		return nil, err
	}
	var raw any
	if err := json.Unmarshal(schemas.JobSchema(), &raw); err != nil {
		return nil, err
	}
	return &compiled{schema: s, raw: raw}, nil
})

// checkSchema validates the spec against the job schema and reports every leaf error at the
// place in the spec it concerns, in words a person reads.
func checkSchema(root *node, b *builder) {
	cs, err := jobSchema()
	if err != nil {
		b.probs.add(Pos{}, "", "internal error: the job schema does not compile: %v", err)
		return
	}
	err = cs.schema.Validate(root.json())
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		b.probs.add(root.pos, "", "%v", err)
		return
	}
	for _, leaf := range leaves(ve, nil) {
		if b.bad[leaf.InstanceLocation] {
			continue
		}
		n := b.byPtr[leaf.InstanceLocation]
		if n == nil {
			n = root
		}
		at, _ := url.PathUnescape(leaf.AbsoluteKeywordLocation[strings.IndexByte(leaf.AbsoluteKeywordLocation, '#')+1:])
		keyword := at[strings.LastIndexByte(at, '/')+1:]
		sch, _ := lookupPointer(cs.raw, at[:max(0, strings.LastIndexByte(at, '/'))]).(map[string]any)
		explain(b.probs, n, keyword, sch, leaf.Message)
	}
}

// leaves collects the errors that have no causes: the ones that say what is wrong.
func leaves(ve *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return append(out, ve)
	}
	for _, c := range ve.Causes {
		out = leaves(c, out)
	}
	return out
}

// explain reports one schema error about n; sch is the schema object holding keyword.
func explain(p *problems, n *node, keyword string, sch map[string]any, msg string) {
	switch keyword {
	case "additionalProperties":
		props, _ := sch["properties"].(map[string]any)
		known := slices.Sorted(maps.Keys(props))
		for _, f := range n.fields {
			if !slices.Contains(known, f.key) {
				p.add(f.keyPos, joinPath(n.path, f.key), "unknown key %q%s", f.key, didYouMean(f.key, known))
			}
		}
		return
	case "required":
		for _, r := range asStrings(sch["required"]) {
			if n.get(r) == nil {
				p.add(n.pos, n.path, "missing required key %q", r)
			}
		}
		return
	case "type":
		msg = fmt.Sprintf("must be %s, got %s", typeNames(sch["type"]), n.describe())
		if _, isStr := n.scalar.(string); n.kind == scalarNode && n.scalar != nil && !isStr && slices.Contains(asStrings(sch["type"]), "string") {
			msg += "; write it in quotes to make it text"
		}
		if n.ptr == "" {
			msg = "the spec " + msg
		}
	case "enum":
		words := asStrings(sch["enum"])
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = strconv.Quote(w)
		}
		msg = fmt.Sprintf("must be one of %s, got %s", strings.Join(quoted, ", "), n.describe())
		if s, ok := n.scalar.(string); ok {
			msg += didYouMean(s, words)
		}
	case "const":
		msg = fmt.Sprintf("must be %v, got %s", sch["const"], n.describe())
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		msg, _, _ = strings.Cut(msg, " but found")
	case "minLength":
		msg = "must not be empty"
	case "minItems":
		msg = "must list at least one item"
	case "pattern":
		msg = patternMessage(fmt.Sprint(sch["pattern"])) + ", got " + n.describe()
	case "format":
		if sch["format"] == "uri" {
			msg = "must be an absolute URL such as https://example.com, got " + n.describe()
		}
	}
	p.add(n.pos, n.path, "%s", msg)
}

// patternMessage explains, in words, what a pattern in the job schema asks for.
func patternMessage(pattern string) string {
	switch pattern {
	case "^[A-Za-z_][A-Za-z0-9_]*$":
		return "must be a name of letters, digits and _, not starting with a digit"
	case "^[A-Za-z0-9][A-Za-z0-9_.-]*$":
		return "must be letters, digits, _, - and ., starting with a letter or digit"
	case "^/":
		return `must start with "/"`
	}
	return "must match " + pattern
}

// typeNames renders a schema's "type" for messages: "an integer", "a string or a list".
func typeNames(t any) string {
	names := map[string]string{
		"integer": "an integer", "number": "a number", "string": "a string", "boolean": "true or false",
		"object": "a mapping", "array": "a list", "null": "null",
	}
	var out []string
	for _, s := range asStrings(t) {
		out = append(out, names[s])
	}
	return strings.Join(out, " or ")
}

// lookupPointer follows a JSON pointer ("/$defs/entity") into a decoded JSON value.
func lookupPointer(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// asStrings reads a JSON string or list of strings.
func asStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
