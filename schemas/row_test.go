package schemas

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func loadTestSchema(t *testing.T) *RowSchema {
	t.Helper()
	s, err := LoadRow(filepath.Join("testdata", "row.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeSchema writes a schema file into a temporary folder and returns its path.
func writeSchema(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadRowColumns(t *testing.T) {
	s := loadTestSchema(t)
	tests := []struct {
		name string
		want Column
	}{
		{"id", Column{Name: "id", Type: TypeInteger}},
		{"name", Column{Name: "name", Type: TypeString}},
		{"email", Column{Name: "email", Type: TypeString, Format: "email"}},
		{"qty", Column{Name: "qty", Type: TypeNumber}},
		{"active", Column{Name: "active", Type: TypeBoolean}},
		{"due", Column{Name: "due", Type: TypeDate, Format: "date"}},
		{"at", Column{Name: "at", Type: TypeDateTime, Format: "date-time"}},
		{"parent", Column{Name: "parent", Type: TypeInteger, Nullable: true}},
		{"ref", Column{Name: "ref", Type: TypeInteger}},
		{"day", Column{Name: "day", Type: TypeDate, Format: "date"}},
		{"maybe", Column{Name: "maybe", Type: TypeNumber, Nullable: true}},
		{"amount", Column{Name: "amount", Type: TypeNumber}},
		{"tags", Column{Name: "tags", Type: TypeArray}},
		{"address", Column{Name: "address", Type: TypeObject}},
		{"state", Column{Name: "state", Type: TypeAny}},
		{"any", Column{Name: "any", Type: TypeAny}},
		{"mixed", Column{Name: "mixed", Type: TypeAny}},
		{"Beløp i kr/stk", Column{Name: "Beløp i kr/stk", Type: TypeNumber}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Column(tt.name)
			if !ok || got != tt.want {
				t.Errorf("Column(%q) = %+v, %v; want %+v, true", tt.name, got, ok, tt.want)
			}
		})
	}
	if _, ok := s.Column("nope"); ok {
		t.Error(`Column("nope") found a column the schema does not declare`)
	}
	cols := s.Columns()
	if len(cols) != 23 {
		t.Fatalf("Columns() has %d columns, want 23", len(cols))
	}
	for i := 1; i < len(cols); i++ {
		if cols[i-1].Name >= cols[i].Name {
			t.Errorf("Columns() not sorted: %q before %q", cols[i-1].Name, cols[i].Name)
		}
	}
	cols[0].Name = "changed"
	if s.Columns()[0].Name == "changed" {
		t.Error("Columns() returned the schema's own slice")
	}
}

func TestLoadRowErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.json")
	tests := []struct {
		name      string
		path      string
		want      string // the whole error text, with PATH for the path
		schemaErr bool   // errors.As finds a *jsonschema.SchemaError
	}{
		{name: "missing file", path: missing, want: "schema PATH: no such file or directory"},
		{name: "invalid JSON", path: writeSchema(t, "bad.json", "{\n  \"type\": \"object\",\n  \"properties\": {,}\n}"),
			want: "schema PATH: not valid JSON: line 3, column 18: invalid character ',' looking for beginning of object key string"},
		{name: "two documents", path: writeSchema(t, "two.json", `{} {}`), want: "schema PATH: not valid JSON: more than one value"},
		{name: "bad type keyword", path: writeSchema(t, "type.json", `{"properties": {"qty": {"type": 12}}}`),
			want:      `schema PATH: invalid schema: /properties/qty/type: expected array, but got number; /properties/qty/type: value must be one of "array", "boolean", "integer", "null", "number", "object", "string"`,
			schemaErr: true},
		{name: "unresolved ref", path: writeSchema(t, "ref.json", `{"properties": {"qty": {"$ref": "#/$defs/nope"}}}`),
			want: "schema PATH: file://PATH#/$defs/nope not found", schemaErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadRow(tt.path)
			if err == nil {
				t.Fatalf("LoadRow = %v, want an error", s)
			}
			want := strings.ReplaceAll(tt.want, "PATH", tt.path)
			if err.Error() != want {
				t.Errorf("error = %q\nwant    %q", err, want)
			}
			var se *jsonschema.SchemaError
			if got := errors.As(err, &se); got != tt.schemaErr {
				t.Errorf("errors.As(*jsonschema.SchemaError) = %v, want %v", got, tt.schemaErr)
			}
		})
	}
}

func TestLoadRowRelativeRef(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "common.json"), []byte(`{"$defs": {"code": {"type": "string", "maxLength": 3}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "row.json")
	if err := os.WriteFile(path, []byte(`{"properties": {"code": {"$ref": "common.json#/$defs/code"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadRow(path)
	if err != nil {
		t.Fatal(err)
	}
	got := s.Validate(map[string]any{"code": "ABCD"})
	want := []Violation{{Column: "code", Keyword: "maxLength", Message: "length must be <= 3 but is 4"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate = %q, want %q", got, want)
	}
}

// validRow satisfies testdata/row.schema.json.
func validRow() map[string]any {
	return map[string]any{
		"id": int64(7), "name": "Pump", "code": "ABC", "email": "a@example.com", "active": true,
		"qty": 2.5, "state": "open", "kind": "site", "due": "2024-01-02", "at": "2024-01-02T10:00:00Z",
		"parent": nil, "ref": int64(1), "day": "2024-02-29", "maybe": nil, "amount": int64(3),
		"tags": []any{"a", "b"}, "address": map[string]any{"city": "Oslo", "zip": "0150"},
		"lines": []any{map[string]any{"qty": int64(1)}}, "Beløp i kr/stk": 12.5, "a~b%c": int64(1),
		"any": []any{1.5, "x"}, "mixed": "x",
	}
}

func TestValidate(t *testing.T) {
	s := loadTestSchema(t)
	tests := []struct {
		name   string
		set    map[string]any
		delete []string
		want   []Violation
	}{
		{name: "valid row", want: nil},
		{name: "required, one per property", delete: []string{"qty", "id"}, want: []Violation{
			{Column: "id", Keyword: "required", Message: "missing"},
			{Column: "qty", Keyword: "required", Message: "missing"},
		}},
		{name: "additionalProperties, one per property, sorted", set: map[string]any{"zeta": 1, "alpha": "x", "Mid col": nil}, want: []Violation{
			{Column: "Mid col", Keyword: "additionalProperties", Message: "not allowed (not in the schema)"},
			{Column: "alpha", Keyword: "additionalProperties", Message: "not allowed (not in the schema)"},
			{Column: "zeta", Keyword: "additionalProperties", Message: "not allowed (not in the schema)"},
		}},
		{name: "type", set: map[string]any{"id": "7"}, want: []Violation{{Column: "id", Keyword: "type", Message: "must be integer but is string"}}},
		{name: "type with null", set: map[string]any{"parent": "x"}, want: []Violation{{Column: "parent", Keyword: "type", Message: "must be integer or null but is string"}}},
		{name: "integral float is an integer", set: map[string]any{"id": 3.0}, want: nil},
		{name: "minimum", set: map[string]any{"id": int64(0)}, want: []Violation{{Column: "id", Keyword: "minimum", Message: "must be >= 1 but is 0"}}},
		{name: "minimum through $ref", set: map[string]any{"ref": int64(-2)}, want: []Violation{{Column: "ref", Keyword: "minimum", Message: "must be >= 1 but is -2"}}},
		{name: "exclusiveMinimum", set: map[string]any{"qty": 0.0}, want: []Violation{{Column: "qty", Keyword: "exclusiveMinimum", Message: "must be > 0 but is 0"}}},
		{name: "maximum and multipleOf", set: map[string]any{"qty": 1000.3}, want: []Violation{
			{Column: "qty", Keyword: "maximum", Message: "must be <= 1000 but is 1000.3"},
			{Column: "qty", Keyword: "multipleOf", Message: "must be a multiple of 0.5 but is 1000.3"},
		}},
		{name: "minLength", set: map[string]any{"name": ""}, want: []Violation{{Column: "name", Keyword: "minLength", Message: "length must be >= 1 but is 0"}}},
		{name: "maxLength", set: map[string]any{"name": "Centrifugal"}, want: []Violation{{Column: "name", Keyword: "maxLength", Message: "length must be <= 10 but is 11"}}},
		{name: "pattern", set: map[string]any{"code": "abc"}, want: []Violation{{Column: "code", Keyword: "pattern", Message: `"abc" does not match the pattern ^[A-Z]{3}$`}}},
		{name: "format email asserted under draft 2020-12", set: map[string]any{"email": "abc"}, want: []Violation{{Column: "email", Keyword: "format", Message: `"abc" is not a valid email`}}},
		{name: "format date", set: map[string]any{"due": "2024-02-30"}, want: []Violation{{Column: "due", Keyword: "format", Message: `"2024-02-30" is not a valid date`}}},
		{name: "format date-time needs an offset", set: map[string]any{"at": "2024-01-02T10:00:00"}, want: []Violation{{Column: "at", Keyword: "format", Message: `"2024-01-02T10:00:00" is not a valid date-time`}}},
		{name: "enum", set: map[string]any{"state": "gone"}, want: []Violation{{Column: "state", Keyword: "enum", Message: `must be one of "open", "closed", 3 but is "gone"`}}},
		{name: "enum number", set: map[string]any{"state": int64(4)}, want: []Violation{{Column: "state", Keyword: "enum", Message: `must be one of "open", "closed", 3 but is 4`}}},
		{name: "const", set: map[string]any{"kind": "asset"}, want: []Violation{{Column: "kind", Keyword: "const", Message: `must be "site" but is "asset"`}}},
		{name: "dependentRequired", delete: []string{"active"}, want: []Violation{{Column: "active", Keyword: "dependentRequired", Message: `missing (required when "email" is present)`}}},
		{name: "minItems", set: map[string]any{"tags": []any{}}, want: []Violation{{Column: "tags", Keyword: "minItems", Message: "must have at least 1 item but has 0"}}},
		{name: "maxItems", set: map[string]any{"tags": []any{"a", "b", "c", "d"}}, want: []Violation{{Column: "tags", Keyword: "maxItems", Message: "must have at most 3 items but has 4"}}},
		{name: "uniqueItems", set: map[string]any{"tags": []any{"a", "a"}}, want: []Violation{{Column: "tags", Keyword: "uniqueItems", Message: "items at index 0 and 1 are equal"}}},
		{name: "nested: required, additionalProperties, pattern", set: map[string]any{"address": map[string]any{"zip": "12", "extra": true}}, want: []Violation{
			{Column: "address", Path: "extra", Keyword: "additionalProperties", Message: "not allowed (not in the schema) (at address/extra)"},
			{Column: "address", Path: "city", Keyword: "required", Message: "missing (at address/city)"},
			{Column: "address", Path: "zip", Keyword: "pattern", Message: `"12" does not match the pattern ^[0-9]{4}$ (at address/zip)`},
		}},
		{name: "nested array item", set: map[string]any{"lines": []any{map[string]any{"qty": int64(1)}, map[string]any{"qty": int64(0)}}}, want: []Violation{
			{Column: "lines", Path: "1/qty", Keyword: "minimum", Message: "must be >= 1 but is 0 (at lines/1/qty)"},
		}},
		{name: "escaped column names", set: map[string]any{"Beløp i kr/stk": -1.0, "a~b%c": 1.5}, want: []Violation{
			{Column: "Beløp i kr/stk", Keyword: "minimum", Message: "must be >= 0 but is -1"},
			{Column: "a~b%c", Keyword: "type", Message: "must be integer but is number"},
		}},
		{name: "false schema", set: map[string]any{"never": "x"}, want: []Violation{{Column: "never", Keyword: "false", Message: "not allowed (the schema forbids it)"}}},
		{name: "not a JSON value", set: map[string]any{"id": struct{}{}}, want: []Violation{{Keyword: "type", Message: "invalid jsonType: struct {}"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := validRow()
			maps.Copy(row, tt.set)
			for _, k := range tt.delete {
				delete(row, k)
			}
			got := s.Validate(row)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// manyErrors breaks testdata/row.schema.json in many places at once.
func manyErrors() map[string]any {
	row := validRow()
	delete(row, "name")
	delete(row, "qty")
	maps.Copy(row, map[string]any{
		"id": int64(0), "code": "abc", "email": "x", "state": "gone", "extra1": 1, "extra2": 2, "extra3": 3,
		"address": map[string]any{"zip": "1", "x": 1, "y": 2}, "tags": []any{"a", "a", 1},
		"lines":          []any{map[string]any{"qty": int64(0)}, map[string]any{"qty": "2"}},
		"Beløp i kr/stk": -3.5, "kind": "k", "due": "02.01.2024",
	})
	return row
}

func formatViolations(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", v.Column, v.Path, v.Keyword, v.Message)
	}
	return b.String()
}

func TestValidateDeterministic(t *testing.T) {
	s := loadTestSchema(t)
	first := formatViolations(s.Validate(manyErrors()))
	for i := range 20 {
		if got := formatViolations(s.Validate(manyErrors())); got != first {
			t.Fatalf("run %d differs:\n%s\nfirst run:\n%s", i, got, first)
		}
	}
	golden := filepath.Join("testdata", "many-errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(first), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if first != string(want) {
		t.Errorf("violations differ from %s (run with -update to accept):\n%s", golden, first)
	}
}

func TestValidateConcurrent(t *testing.T) {
	s := loadTestSchema(t)
	want := formatViolations(s.Validate(manyErrors()))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if got := formatViolations(s.Validate(manyErrors())); got != want {
					errs <- got
					return
				}
				if got := s.Validate(validRow()); got != nil {
					errs <- formatViolations(got)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Validate gave:\n%s\nwant:\n%s", got, want)
	}
}

func TestUnquoteList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		ok   bool
	}{
		{name: "one", in: `'a'`, want: []string{"a"}, ok: true},
		{name: "several", in: `'a', 'b c', 'ø'`, want: []string{"a", "b c", "ø"}, ok: true},
		{name: "single quote", in: `'it\'s'`, want: []string{"it's"}, ok: true},
		{name: "double quote", in: `'say "hi"'`, want: []string{`say "hi"`}, ok: true},
		{name: "backslash", in: `'a\\b', 'c\\\'d'`, want: []string{`a\b`, `c\'d`}, ok: true},
		{name: "comma inside a name", in: `'a, b', 'c'`, want: []string{"a, b", "c"}, ok: true},
		{name: "unterminated", in: `'abc`, ok: false},
		{name: "not quoted", in: `abc`, ok: false},
		{name: "empty", in: ``, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := unquoteList(tt.in)
			if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("unquoteList(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestUnquoteListRoundTrip checks unquoteList against the library's own quoting, through a
// schema whose required property names need escaping.
func TestUnquoteListRoundTrip(t *testing.T) {
	names := []string{`it's`, `say "hi"`, `back\slash`, `a, b`, `tab	x`, `~/%`}
	var quoted []string
	for _, n := range names {
		quoted = append(quoted, fmt.Sprintf("%q", n))
	}
	path := writeSchema(t, "req.json", `{"required": [`+strings.Join(quoted, ", ")+`]}`)
	s, err := LoadRow(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range s.Validate(map[string]any{}) {
		if v.Keyword != "required" || v.Message != "missing" {
			t.Errorf("violation %q, want required/missing", v)
		}
		got = append(got, v.Column)
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("columns = %q, want %q", got, names)
	}
}
