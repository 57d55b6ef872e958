package maptest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// MapTester evaluates rows given inline (by a mapping test) exactly as a dry run evaluates the
// rows of a file: typed by the source's typing options, validated against its JSON Schema,
// mapped by the job's entities, then the cross-row rules of the rows given together (duplicate
// userObjectIds, distinct records that disagree, parents). It opens no source file and writes
// nothing. It is safe for use by one goroutine.
type MapTester struct {
	job     *spec.Job
	sources map[string]*evaluate.Source
	format  map[string]string
	headers map[string][]string // CSV and XLSX sources whose header has been read
}

// TestRow is one row of a mapping test: its cells by column, in the order the test gives them.
// Values of CSV and XLSX sources are the cells' text; those of JSON sources are JSON values
// (json.Number, string, bool, nil, map[string]any, []any). Outer is, for a source that explodes a
// nested array, the fields of the document the row was exploded from (`outer.X`).
type TestRow struct {
	Columns []string
	Values  []any
	Outer   map[string]any
}

// TestRecord is what a mapping test's rows came to: one record, as the report and payloads/
// of a dry run would hold it.
type TestRecord struct {
	Entity       string
	UserObjectID string
	Status       record.Status
	// Body is the request body as payloads/ holds it (an On Key import record or an Onix Work
	// request body), JSON.
	Body     json.RawMessage
	Messages []record.Message
}

// NewMapTester compiles the job's schemas, typing options and mappings. Problems are a
// *SetupError naming every one.
func NewMapTester(job *spec.Job) (*MapTester, error) {
	compiled, err := evaluate.Compile(job)
	if err != nil {
		return nil, err
	}
	t := &MapTester{job: job, sources: map[string]*evaluate.Source{}, format: map[string]string{}, headers: map[string][]string{}}
	for _, sp := range compiled.Sources() {
		src := sp.Spec()
		if t.format[src.Name], err = readers.Format(src); err != nil {
			return nil, &evaluate.SetupError{Err: fmt.Errorf("source %s: %w", src.Name, err)}
		}
		t.sources[src.Name] = sp
	}
	return t, nil
}

// Format returns the format of the named source ("csv", "xlsx", "json", "jsonl"), and false when
// the job has no such source.
func (t *MapTester) Format(source string) (string, bool) {
	f, ok := t.format[source]
	return f, ok
}

// Header returns the columns of a CSV or XLSX source's header as the file has them (read once,
// opening the file), nil for a JSON source.
func (t *MapTester) Header(source string) ([]string, error) {
	if h, ok := t.headers[source]; ok {
		return h, nil
	}
	sp, ok := t.sources[source]
	if !ok || (t.format[source] != "csv" && t.format[source] != "xlsx") {
		return nil, nil
	}
	h, err := sourceColumns(sp.Spec())
	if err != nil {
		return nil, err
	}
	t.headers[source] = h
	return h, nil
}

// Sources returns the names of the job's sources, in spec order.
func (t *MapTester) Sources() []string {
	var out []string
	for _, s := range t.job.Sources {
		out = append(out, s.Name)
	}
	return out
}

// TestInput is the rows of one source that a mapping test gives.
type TestInput struct {
	Source string
	Rows   []TestRow
}

// Evaluate evaluates the rows of each input as rows of its source, numbered as if the header
// were the source's header row and the rows followed it, and returns their records in input and
// row order, each with its final status. The cross-row rules apply among these rows only: a
// child whose parent is not among them is invalid, as in a file that lacks the parent's row.
func (t *MapTester) Evaluate(inputs []TestInput) ([]TestRecord, error) {
	var entries []evaluate.Entry
	for _, in := range inputs {
		sp, ok := t.sources[in.Source]
		if !ok {
			return nil, fmt.Errorf("the job has no source %q", in.Source)
		}
		header := sp.Spec().HeaderRow // 0: the file has none
		if t.format[in.Source] == "json" || t.format[in.Source] == "jsonl" {
			header = 0
		}
		for i, tr := range in.Rows {
			row := readers.Row{Origin: readers.Origin{File: sp.Spec().Path, Sheet: sp.Spec().Sheet, Line: header + 1 + i},
				Columns: tr.Columns, Values: tr.Values}
			if tr.Outer != nil {
				parent := &readers.Row{Origin: row.Origin}
				for _, k := range slices.Sorted(maps.Keys(tr.Outer)) {
					parent.Columns = append(parent.Columns, k)
					parent.Values = append(parent.Values, tr.Outer[k])
				}
				row.Parent = parent
			}
			for _, e := range sp.Evaluate(row) {
				if err := e.Encode(); err != nil {
					return nil, err
				}
				entries = append(entries, e)
			}
		}
	}
	return crossRowRules(entries, t.job)
}
