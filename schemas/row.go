package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Column types, as Column.Type reports them.
const (
	TypeString   = "string"
	TypeInteger  = "integer"
	TypeNumber   = "number"
	TypeBoolean  = "boolean"
	TypeDate     = "date"      // type string, format date
	TypeDateTime = "date-time" // type string, format date-time
	TypeObject   = "object"
	TypeArray    = "array"
	TypeAny      = "" // no single type declared: the value is kept as it is
)

// Column is one top-level property of a row schema, as the typing stage needs it.
type Column struct {
	Name string
	// Type is one of the Type constants. A property whose types are integer and number is a
	// number; any other mix (or none) is TypeAny.
	Type string
	// Format is the property's "format" keyword, if any ("email", "date", ...).
	Format string
	// Nullable is true when the property also admits null (type ["integer", "null"], or an
	// anyOf/oneOf branch of type null).
	Nullable bool
}

// RowSchema is a compiled row schema. It is immutable; all its methods are safe for concurrent
// use.
type RowSchema struct {
	path    string // as given to LoadRow
	url     string // the stable file:// URL the schema was compiled under
	doc     any    // the decoded document, to quote enum and const values in messages
	schema  *jsonschema.Schema
	fast    *fastRow // nil when the schema uses keywords the fast check does not understand
	columns []Column // sorted by name
}

// LoadRow reads and compiles the row schema at path, once: draft 2020-12 unless the file declares
// $schema, formats asserted (an invalid email fails even under draft 2020-12), resources named by
// the file's absolute file:// URL so that relative $refs resolve against its folder. An unreadable
// file, invalid JSON or a schema that does not compile is an error naming the file; the caller
// reports it as a spec error.
func LoadRow(path string) (*RowSchema, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", path, err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("schema %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, &rowSchemaError{path: path, detail: "not valid JSON: " + jsonErrorDetail(data, err), err: err}
	}
	if dec.More() {
		return nil, &rowSchemaError{path: path, detail: "not valid JSON: more than one value"}
	}
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	if !strings.HasPrefix(filepath.ToSlash(abs), "/") { // Windows: file:///C:/...
		u = (&url.URL{Scheme: "file", Path: "/" + filepath.ToSlash(abs)}).String()
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	if err := c.AddResource(u, bytes.NewReader(data)); err != nil {
		return nil, &rowSchemaError{path: path, detail: err.Error(), err: err}
	}
	sch, err := c.Compile(u)
	if err != nil {
		return nil, &rowSchemaError{path: path, detail: compileErrorDetail(err), err: err}
	}
	s := &RowSchema{path: path, url: u, doc: doc, schema: sch, fast: newFastRow(sch)}
	s.columns = columnsOf(doc)
	return s, nil
}

// Path returns the schema file's path as it was given to LoadRow.
func (s *RowSchema) Path() string { return s.path }

// Column returns the column of the given name and whether the schema's top-level properties
// declare it.
func (s *RowSchema) Column(name string) (Column, bool) {
	i := sort.Search(len(s.columns), func(i int) bool { return s.columns[i].Name >= name })
	if i < len(s.columns) && s.columns[i].Name == name {
		return s.columns[i], true
	}
	return Column{}, false
}

// Columns returns every declared column, sorted by name. The caller may modify the slice.
func (s *RowSchema) Columns() []Column {
	return append([]Column(nil), s.columns...)
}

// rowSchemaError is a row schema that cannot be loaded. It unwraps to the underlying error
// (a *jsonschema.SchemaError for a schema that does not compile).
type rowSchemaError struct {
	path, detail string
	err          error
}

func (e *rowSchemaError) Error() string { return "schema " + e.path + ": " + e.detail }
func (e *rowSchemaError) Unwrap() error { return e.err }

// compileErrorDetail describes a compile error: each place the schema breaks the meta-schema
// ("/properties/qty/type: value must be one of ..."), or the library's message.
func compileErrorDetail(err error) string {
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		var parts []string
		for _, l := range leavesOf(ve) {
			loc := l.InstanceLocation
			if loc == "" {
				loc = "/"
			}
			parts = append(parts, loc+": "+l.Message)
		}
		sort.Strings(parts)
		return "invalid schema: " + strings.Join(parts, "; ")
	}
	var se *jsonschema.SchemaError
	if errors.As(err, &se) && se.Err != nil {
		err = se.Err
	}
	return strings.TrimPrefix(err.Error(), "jsonschema: ")
}

// jsonErrorDetail adds the line and column of a JSON syntax error.
func jsonErrorDetail(data []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	before := data[:min(int(se.Offset), len(data))]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - (bytes.LastIndexByte(before, '\n') + 1) // the offset is just past the bad byte
	return fmt.Sprintf("line %d, column %d: %s", line, col, se.Error())
}

// columnsOf reads the columns from the document's top-level properties.
func columnsOf(doc any) []Column {
	root, _ := doc.(map[string]any)
	props, _ := root["properties"].(map[string]any)
	cols := make([]Column, 0, len(props))
	for name, sub := range props {
		types, format := describe(sub, root, 0)
		c := Column{Name: name, Format: format}
		if types["null"] {
			c.Nullable = true
			delete(types, "null")
		}
		switch {
		case len(types) == 1:
			for t := range types {
				c.Type = t
			}
		case len(types) == 2 && types[TypeInteger] && types[TypeNumber]:
			c.Type = TypeNumber
		}
		if (c.Type == TypeString || (c.Type == TypeAny && len(types) == 0)) && (format == TypeDate || format == TypeDateTime) {
			c.Type = format
		}
		cols = append(cols, c)
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	return cols
}

// describe returns the JSON types a subschema admits (empty when unknown or any) and its format.
// It follows local $refs and the branches of anyOf and oneOf.
func describe(node any, root map[string]any, depth int) (map[string]bool, string) {
	m, ok := node.(map[string]any)
	if !ok || depth > 16 {
		return map[string]bool{}, ""
	}
	format, _ := m["format"].(string)
	types := map[string]bool{}
	switch t := m["type"].(type) {
	case string:
		types[t] = true
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				types[s] = true
			}
		}
	}
	if len(types) > 0 {
		return types, format
	}
	if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
		if target, ok := resolvePointer(root, strings.TrimPrefix(ref, "#")); ok {
			rt, rf := describe(target, root, depth+1)
			if format == "" {
				format = rf
			}
			return rt, format
		}
	}
	for _, kw := range []string{"anyOf", "oneOf"} {
		branches, ok := m[kw].([]any)
		if !ok || len(branches) == 0 {
			continue
		}
		for _, b := range branches {
			bt, bf := describe(b, root, depth+1)
			if len(bt) == 0 {
				return map[string]bool{}, format // one branch admits anything
			}
			for t := range bt {
				types[t] = true
			}
			if format == "" {
				format = bf
			}
		}
		return types, format
	}
	return types, format
}

// resolvePointer finds the value at a JSON pointer ("" is the document) in a decoded document.
func resolvePointer(doc any, ptr string) (any, bool) {
	if ptr == "" {
		return doc, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	segs := strings.Split(ptr[1:], "/")
	for i, seg := range segs {
		segs[i] = unescapeSegment(seg)
	}
	return valueAt(doc, segs)
}

// unescapeSegment decodes one JSON pointer segment as the library writes it: percent-escaped
// (url.PathEscape), then ~1 for "/" and ~0 for "~".
func unescapeSegment(seg string) string {
	if u, err := url.PathUnescape(seg); err == nil {
		seg = u
	}
	seg = strings.ReplaceAll(seg, "~1", "/")
	return strings.ReplaceAll(seg, "~0", "~")
}
