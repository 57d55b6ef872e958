package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/maptest"
	"github.com/bulkload/bulkload/record"
	"go.yaml.in/yaml/v3"
)

// runMapTest evaluates the rows of t and returns the unified diff between what t expects and
// what the rows gave ("" when the test passes). An error is a test that cannot run (a source
// the job lacks, a cell that is no cell): the test file is broken.
func runMapTest(tester *maptest.MapTester, file string, t mapTest) (string, error) {
	var inputs []maptest.TestInput
	for _, in := range t.inputs {
		input, err := testInputOf(tester, file, t.name, in)
		if err != nil {
			return "", err
		}
		inputs = append(inputs, input)
	}
	recs, err := tester.Evaluate(inputs)
	if err != nil {
		return "", err
	}
	want, got := renderExpectation(t, recs)
	return unifiedDiff("expected", "actual", want, got), nil
}

// testInputOf turns the rows a test gives of one source into rows of that source.
func testInputOf(tester *maptest.MapTester, file, name string, in testInput) (maptest.TestInput, error) {
	source := in.source
	if source == "" {
		names := tester.Sources()
		if len(names) != 1 {
			return maptest.TestInput{}, &fileError{file, in.line, in.col, fmt.Sprintf("test %q: source is missing; the job has %d sources (%s): say which the rows are from",
				name, len(names), quoteList(names))}
		}
		source = names[0]
	}
	format, ok := tester.Format(source)
	if !ok {
		hint := ""
		if s := suggest(source, tester.Sources()); len(s) > 0 {
			hint = fmt.Sprintf(" (did you mean %s?)", s[0])
		}
		return maptest.TestInput{}, &fileError{file, in.line, in.col, fmt.Sprintf("test %q: the job has no source %q%s", name, source, hint)}
	}
	header, err := tester.Header(source)
	if err != nil {
		return maptest.TestInput{}, fmt.Errorf("test %q: the header of source %s, which numbers the cells: %w", name, source, err)
	}
	out := maptest.TestInput{Source: source}
	for _, n := range in.rows {
		row, err := testRow(file, n, in.outer, format == "json" || format == "jsonl")
		if err == nil && header != nil {
			row, err = inHeaderOrder(file, n, row, header, source)
		}
		if err != nil {
			return maptest.TestInput{}, err
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// testRow turns a test's row (a mapping of column to cell) into a row of the source: text cells
// for CSV and XLSX (null: an empty cell), JSON values for JSON sources.
func testRow(file string, n, outer *yaml.Node, jsonSource bool) (maptest.TestRow, error) {
	var row maptest.TestRow
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var cell any
		switch {
		case jsonSource:
			var x any
			if err := v.Decode(&x); err != nil {
				return row, &fileError{file, v.Line, v.Column, fmt.Sprintf("column %s: %v", k.Value, err)}
			}
			cell = jsonValue(x)
		case v.Kind != yaml.ScalarNode:
			return row, &fileError{file, v.Line, v.Column, fmt.Sprintf("column %s: a cell of a CSV or XLSX source is text: write it as a scalar", k.Value)}
		case v.Tag == "!!null":
			cell = ""
		default:
			cell = v.Value
		}
		row.Columns = append(row.Columns, k.Value)
		row.Values = append(row.Values, cell)
	}
	if outer != nil {
		var x map[string]any
		if err := outer.Decode(&x); err != nil {
			return row, &fileError{file, outer.Line, outer.Column, fmt.Sprintf("outer: %v", err)}
		}
		row.Outer, _ = jsonValue(x).(map[string]any)
	}
	return row, nil
}

// inHeaderOrder puts a test row's cells in the columns of the file's header, so that cell
// references name the file's cells ("Sites!G2"); a column the test leaves out is an empty cell,
// and one the header lacks a broken test.
func inHeaderOrder(file string, n *yaml.Node, row maptest.TestRow, header []string, source string) (maptest.TestRow, error) {
	byName := map[string]any{}
	for i, c := range row.Columns {
		if !slices.Contains(header, c) {
			hint := ""
			if s := suggest(c, header); len(s) > 0 {
				hint = fmt.Sprintf(" (did you mean %s?)", s[0])
			}
			k := n.Content[2*i]
			return row, &fileError{file, k.Line, k.Column, fmt.Sprintf("column %q is not in the header of source %s%s", c, source, hint)}
		}
		byName[c] = row.Values[i]
	}
	out := maptest.TestRow{Columns: header, Outer: row.Outer}
	for _, c := range header {
		v, ok := byName[c]
		if !ok {
			v = ""
		}
		out.Values = append(out.Values, v)
	}
	return out, nil
}

// jsonValue turns a decoded YAML value into the JSON value a JSON source's reader delivers:
// numbers as json.Number.
func jsonValue(v any) any {
	switch x := v.(type) {
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case uint64:
		return json.Number(strconv.FormatUint(x, 10))
	case float64:
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	}
	return v
}

// renderExpectation renders what t expects and what recs are in one YAML shape, so that their
// diff shows only what differs: a record's body only where the test gives one (and for records it
// does not expect, so that the user can copy them), errors the test expects as it writes them
// when a message matches, the messages no expectation matches with their whole text.
func renderExpectation(t mapTest, recs []maptest.TestRecord) (want, got string) {
	type doc struct {
		Records []expectedRecord `yaml:"records,omitempty"`
		Errors  []expectedError  `yaml:"errors,omitempty"`
	}
	var w, g doc
	if t.hasRecords {
		for _, r := range t.records {
			if r.Body != nil {
				r.Body = normalJSON(r.Body)
			}
			w.Records = append(w.Records, r)
		}
		for i, r := range recs {
			er := expectedRecord{Entity: r.Entity, UserObjectID: r.UserObjectID, Status: string(r.Status)}
			if i >= len(t.records) || t.records[i].Body != nil {
				er.Body = decodeBody(r.Body)
			}
			g.Records = append(g.Records, er)
		}
	}
	if t.hasErrors {
		w.Errors = t.errors
		msgs := distinctMessages(recs)
		used := make([]bool, len(msgs))
		for _, e := range t.errors {
			for i, m := range msgs {
				if !used[i] && e.matches(m) {
					used[i] = true
					g.Errors = append(g.Errors, e)
					break
				}
			}
		}
		for i, m := range msgs {
			if !used[i] {
				g.Errors = append(g.Errors, expectedError{Code: m.Code, Column: m.Property, Cell: m.Cell, Words: wordList{m.Text}})
			}
		}
	}
	return renderYAML(w), renderYAML(g)
}

// matches reports whether m is the message e expects.
func (e expectedError) matches(m record.Message) bool {
	if e.Code != m.Code || (e.Column != "" && e.Column != m.Property) || (e.Cell != "" && e.Cell != m.Cell) {
		return false
	}
	for _, w := range e.Words {
		if !containsFold(m.Text, w) {
			return false
		}
	}
	return true
}

// distinctMessages returns the messages of recs, each once: a cell's problem is on every record
// that reads the cell.
func distinctMessages(recs []maptest.TestRecord) []record.Message {
	seen := map[record.Message]bool{}
	var out []record.Message
	for _, r := range recs {
		for _, m := range r.Messages {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

// normalJSON returns v as decodeBody decodes its JSON encoding, so that a body written in YAML
// and one the mapping produced render alike.
func normalJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	return decodeBody(b)
}

// decodeBody decodes a JSON body with its numbers as yamlNumbers; an undecodable body is shown
// as its text.
func decodeBody(b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return string(b)
	}
	return yamlNumbers(v)
}

func yamlNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		return newYAMLNumber(x)
	case map[string]any:
		for k, e := range x {
			x[k] = yamlNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = yamlNumbers(e)
		}
	}
	return v
}

// yamlNumber is a JSON number rendered in YAML as the number it is (1234500.5, not
// 1.2345005e+06), integers and decimals each in one canonical form so that 1.50 and 1.5 agree.
type yamlNumber struct{ tag, text string }

func newYAMLNumber(n json.Number) yamlNumber {
	if i, err := n.Int64(); err == nil {
		return yamlNumber{"!!int", strconv.FormatInt(i, 10)}
	}
	f, err := n.Float64()
	if err != nil {
		return yamlNumber{"!!float", n.String()}
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return yamlNumber{"!!int", strconv.FormatFloat(f, 'f', -1, 64)}
	}
	return yamlNumber{"!!float", strconv.FormatFloat(f, 'f', -1, 64)}
}

// MarshalYAML renders the number as a plain scalar.
func (n yamlNumber) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: n.tag, Value: n.text}, nil
}

func renderYAML(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(cannot render: %v)\n", err)
	}
	return string(b)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
