package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// mapTestFile is a file of mapping tests, <job>.tests.yaml beside the job:
//
//	tests:
//	  - name: a site with its type
//	    source: sites            # may be left out when the job has one source
//	    rows:                    # the rows, by column, as the file would hold them
//	      - {sap_id: S-1, code: PLANT-1, description: Plant}
//	    outer: {OrderNo: 1}      # JSON sources that explode an array: the document's fields
//	    expect:
//	      records:               # every record the rows produce, in order
//	        - {entity: site, userObjectId: S-1, status: valid, body: {...}}
//	      errors:                # every message of those records
//	        - {code: type, column: quantity, cell: "Sites!H2", words: [not a number]}
type mapTestFile struct {
	path  string
	tests []mapTest
}

// mapTest is one test of a mapTestFile.
type mapTest struct {
	name string
	line int
	// inputs are the rows the test gives, by source: one (source, rows, outer), or the
	// several of inputs:.
	inputs []testInput
	// records is nil when the test expects nothing of them; errors likewise.
	records []expectedRecord
	errors  []expectedError
	// hasRecords and hasErrors say whether expect named records and errors (an empty list
	// expects none).
	hasRecords, hasErrors bool
}

// testInput is the rows of one source that a test gives.
type testInput struct {
	source string // "": the job's only source
	// line and col locate the source's name, or the input when it names none.
	line, col int
	rows      []*yaml.Node // mappings, column -> cell
	outer     *yaml.Node
}

// expectedRecord is a record a test expects; body nil: not compared.
type expectedRecord struct {
	Entity       string `yaml:"entity"`
	UserObjectID string `yaml:"userObjectId"`
	Status       string `yaml:"status"`
	Body         any    `yaml:"body,omitempty"`
}

// expectedError is a message a test expects: its code, and where given its column (the
// message's property), its cell reference, and words its text contains (case-insensitive).
type expectedError struct {
	Code   string   `yaml:"code"`
	Column string   `yaml:"column,omitempty"`
	Cell   string   `yaml:"cell,omitempty"`
	Words  wordList `yaml:"words,omitempty"`
}

// wordList is one string or a list of them.
type wordList []string

// UnmarshalYAML accepts "words: not a number" as well as a list.
func (w *wordList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*w = wordList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*w = list
	return nil
}

// fileError is a problem with a test file at a position: "job.tests.yaml:12:7: ...".
type fileError struct {
	path      string
	line, col int
	msg       string
}

func (e *fileError) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.path, e.line, e.col, e.msg) }

// readMapTests reads and checks a test file; every problem is a *fileError (or an error
// reading the file).
func readMapTests(path string) (*mapTestFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		return nil, yamlSyntaxError(path, err)
	}
	f := &mapTestFile{path: path}
	p := &testParser{path: path}
	if len(doc.Content) == 0 {
		return nil, &fileError{path, 1, 1, "the file is empty: it needs a list of tests under tests:"}
	}
	root := doc.Content[0]
	fields := p.mapping(root, "the file", "tests")
	tests := fields["tests"]
	if p.err == nil && (tests == nil || tests.Kind != yaml.SequenceNode || len(tests.Content) == 0) {
		p.fail(orNode(tests, root), "tests: want a list of tests, each with name, rows and expect")
	}
	if p.err != nil {
		return nil, p.err
	}
	names := map[string]int{}
	for i, n := range tests.Content {
		t := p.test(n, fmt.Sprintf("tests[%d]", i))
		if p.err != nil {
			return nil, p.err
		}
		if line, dup := names[t.name]; dup {
			return nil, &fileError{path, t.line, n.Column, fmt.Sprintf("tests[%d]: the name %q is also the name of the test on line %d", i, t.name, line)}
		}
		names[t.name] = t.line
		f.tests = append(f.tests, t)
	}
	return f, nil
}

// testParser walks a test file's YAML, keeping the first problem.
type testParser struct {
	path string
	err  error
}

func (p *testParser) fail(n *yaml.Node, format string, args ...any) {
	if p.err == nil {
		p.err = &fileError{p.path, n.Line, n.Column, fmt.Sprintf(format, args...)}
	}
}

// mapping returns the fields of n, which must be a mapping whose keys are among allowed.
func (p *testParser) mapping(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.fail(n, "%s: want a mapping with %s", what, strings.Join(allowed, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			hint := ""
			if s := suggest(k.Value, allowed); len(s) > 0 {
				hint = fmt.Sprintf(" (did you mean %s?)", s[0])
			}
			p.fail(k, "%s: unknown key %q%s; the keys are %s", what, k.Value, hint, strings.Join(allowed, ", "))
			continue
		}
		out[k.Value] = n.Content[i+1]
	}
	return out
}

func (p *testParser) test(n *yaml.Node, what string) mapTest {
	f := p.mapping(n, what, "name", "source", "rows", "outer", "inputs", "expect")
	t := mapTest{line: n.Line}
	t.name = p.text(f["name"], n, what+".name")
	if in := f["inputs"]; in != nil {
		if f["rows"] != nil || f["source"] != nil || f["outer"] != nil {
			p.fail(in, "%s: give either inputs (rows of several sources) or source and rows, not both", what)
		}
		if in.Kind != yaml.SequenceNode || len(in.Content) == 0 {
			p.fail(in, "%s.inputs: want a list, each with source and rows", what)
			return t
		}
		for i, item := range in.Content {
			w := fmt.Sprintf("%s.inputs[%d]", what, i)
			fi := p.mapping(item, w, "source", "rows", "outer")
			t.inputs = append(t.inputs, p.input(fi, item, w, true))
		}
	} else {
		t.inputs = append(t.inputs, p.input(f, n, what, false))
	}
	if p.err != nil {
		return t
	}
	exp := f["expect"]
	if exp == nil {
		p.fail(n, "%s: expect is missing: say which records (expect.records) or errors (expect.errors) the rows give", what)
		return t
	}
	ef := p.mapping(exp, what+".expect", "records", "errors")
	if r := ef["records"]; r != nil {
		t.hasRecords = true
		p.decode(r, &t.records, what+".expect.records")
		for i, rec := range t.records {
			if rec.Entity == "" || rec.Status == "" {
				p.fail(r.Content[i], "%s.expect.records[%d]: entity and status are required", what, i)
			}
		}
	}
	if e := ef["errors"]; e != nil {
		t.hasErrors = true
		p.decode(e, &t.errors, what+".expect.errors")
		for i, er := range t.errors {
			if er.Code == "" {
				p.fail(e.Content[i], "%s.expect.errors[%d]: code is required (type, required, mapping, duplicate, parent, ...)", what, i)
			}
		}
	}
	if !t.hasRecords && !t.hasErrors {
		p.fail(exp, "%s.expect: say which records (records:) or errors (errors:) the rows give", what)
	}
	return t
}

// input reads the source, rows and outer of f, the fields of n; needSource: source is required.
func (p *testParser) input(f map[string]*yaml.Node, n *yaml.Node, what string, needSource bool) testInput {
	in := testInput{line: n.Line, col: n.Column, outer: f["outer"]}
	if s := f["source"]; s != nil || needSource {
		in.source = p.text(s, n, what+".source")
		if s != nil {
			in.line, in.col = s.Line, s.Column
		}
	}
	rows := f["rows"]
	if rows == nil || rows.Kind != yaml.SequenceNode || len(rows.Content) == 0 {
		p.fail(orNode(rows, n), "%s.rows: want a list of rows, each a mapping of column to cell", what)
		return in
	}
	for i, r := range rows.Content {
		if r.Kind != yaml.MappingNode {
			p.fail(r, "%s.rows[%d]: want a mapping of column to cell", what, i)
		}
		in.rows = append(in.rows, r)
	}
	if in.outer != nil && in.outer.Kind != yaml.MappingNode {
		p.fail(in.outer, "%s.outer: want a mapping of the document's fields", what)
	}
	return in
}

// text returns the string scalar n; parent locates the problem when n is absent.
func (p *testParser) text(n, parent *yaml.Node, what string) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
		p.fail(orNode(n, parent), "%s: want a non-empty string", what)
		return ""
	}
	return n.Value
}

// decode decodes n into v strictly, locating unknown keys and wrong types.
func (p *testParser) decode(n *yaml.Node, v any, what string) {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "%s: want a list", what)
		return
	}
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			p.fail(item, "%s: want a list of mappings", what)
			return
		}
		allowed := []string{"entity", "userObjectId", "status", "body"}
		if _, ok := v.(*[]expectedError); ok {
			allowed = []string{"code", "column", "cell", "words"}
		}
		p.mapping(item, what, allowed...)
	}
	if p.err != nil {
		return
	}
	if err := n.Decode(v); err != nil {
		p.fail(n, "%s: %v", what, strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  "))
	}
}

func orNode(n, fallback *yaml.Node) *yaml.Node {
	if n != nil {
		return n
	}
	return fallback
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// yamlSyntaxError turns the YAML library's "yaml: line N: msg" into a file:line:col error.
func yamlSyntaxError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		return &fileError{path, line, 1, msg}
	}
	return &fileError{path, 1, 1, msg}
}
