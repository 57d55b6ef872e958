package transforms

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	exprparser "github.com/expr-lang/expr/parser"

	"github.com/bulkload/bulkload/spec"
)

// mapTimeout is how long one Map may take before the fuzzer calls it a hang. The package has no
// time limit of its own: expr has no loops, and its VM's memory budget (conf.DefaultMemoryBudget)
// stops ranges and the builtins that iterate (map, filter, reduce, ...) after about a million
// steps. It does not count the size of strings, so an expression written to grow one (doubling it
// in reduce(1..40, #acc + #acc, "x"), or repeat(row.s, 1000000) of a long cell) can still run out
// of memory: that takes a spec written so, and is not fixed here.
const mapTimeout = 10 * time.Second

// FuzzExpression compiles arbitrary text as a mapping expression in each place an expression can
// stand (a property, the userObjectId, the parent's userObjectId, when and id of an On Key
// entity) and maps a typed row whose text cell is also arbitrary. Whatever the text:
//
//   - nothing panics;
//   - Compile succeeds or returns spec.Errors, each placed at an expression (file, line and
//     column), naming its path and saying what is wrong in one line; text that does not compile
//     as a property compiles nowhere;
//   - Map ends within mapTimeout;
//   - a record of an entity whose when is false is no record and no error; any other is either a
//     *MapError with one non-empty one-line message of at most maxMessage characters per
//     failing field, and no body, or has a non-empty userObjectId and a body that encodes as JSON,
//     with that userObjectId in it.
func FuzzExpression(f *testing.F) {
	for _, src := range expressionSeeds(f) {
		f.Add(src, "Cape Town")
	}
	for _, s := range []struct{ src, cell string }{
		{"code(", ""},
		{`pad(row.s, 3, "0")`, "7"},
		{`pad_right(row.s, 100000000000, "ø")`, "7"}, // once 400 GB, and the end of the run
		{`lookup("products", row.s, "?")`, "Skuffe"},
		{`lookup("products", row.s)`, "nope"},
		{`lookup("products", row.s)`, strings.Repeat("nope ", 400)}, // once a message of 2,000 characters
		{`regex_find(row.s, "(\\d+)")`, "order 10001"},
		{`regex_match(row.s, "a\n(")`, ""}, // once a spec error of two lines
		{`number(row.s)`, "1 234,50"},
		{`parse_date(row.s, "02.01.2006")`, "03.11.2026"},
		{`reduce(1..1000000, #acc + #, 0)`, ""},
		{`map(1..1000, map(1..1000, #))`, ""},
		{`[row.s, row.list, row.obj, row.nil, null(), absent()]`, "x"},
		{`{"a": {"b": [row.obj]}}`, "x"},
		{`row.big`, ""},
		{`now()`, ""},
		{`timezone("UTC")`, ""},
		{`1 / 0`, ""},
		{`upper(split(row.s, ","))`, "a\nb,c"}, // once a mapping error of two lines
		{`row.obj[row.s]`, "a"},
	} {
		f.Add(s.src, s.cell)
	}
	lookups := []spec.Lookup{{Name: "products", Path: "products.csv", File: filepath.Join(f.TempDir(), "products.csv")}}
	if err := os.WriteFile(lookups[0].File, []byte("produkt,type\nSkuffe,Unique\nOlje,Consumable\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	at := func(line int) spec.Pos { return spec.Pos{Line: line, Col: 7} }
	places := map[string]spec.Pos{ // where the text stands: path -> position
		"entities[0].properties.v":        at(10),
		"entities[1].userObjectId":        at(20),
		"entities[1].parent.userObjectId": at(21),
		"entities[2].when":                at(30),
		"entities[3].id":                  at(40),
	}
	f.Fuzz(func(t *testing.T, src, cell string) {
		here := func(path string) *spec.Value { return &spec.Value{Expr: src, Pos: places[path]} }
		key := &spec.Value{Expr: `"k"`}
		e := spec.Entity{Source: "s", EntityType: "Site", Action: "Merge", UserObjectID: key}
		e0, e1, e2, e3 := e, e, e, e
		e0.Name, e0.Properties = "prop", obj("v", here("entities[0].properties.v"), "n", &spec.Value{Literal: 1})
		e1.Name, e1.UserObjectID = "key", here("entities[1].userObjectId")
		e1.Parent = &spec.ParentRef{Entity: "prop", UserObjectID: here("entities[1].parent.userObjectId")}
		e2.Name, e2.When = "when", here("entities[2].when")
		e3.Name, e3.ID = "id", here("entities[3].id")
		job := &spec.Job{File: "job.yaml", Target: spec.Target{Kind: spec.OnKey}, Lookups: lookups,
			Sources:  []spec.Source{{Name: "s", Typing: spec.Typing{Decimal: ",", Thousands: " "}}},
			Entities: []spec.Entity{e0, e1, e2, e3}}
		ms, err := Compile(job)
		if err != nil {
			checkCompileErrors(t, src, err, places)
			return
		}
		row := map[string]any{"s": cell, "text": " Cape Town ", "i": int64(42), "f": 2.5, "b": true, "nil": nil,
			"day": "2026-11-03", "at": "2026-11-03T14:30:00Z", "list": []any{"a", int64(1), nil},
			"obj": map[string]any{"a": int64(1), "b": []any{2.5, "x"}}, "big": json.Number("1e400")}
		env := Env{Row: row, Outer: map[string]any{"no": "A1", "s": cell}, Parent: map[string]any{"id": int64(77), "userObjectId": "P"}}
		for _, m := range ms.All() {
			checkMap(t, src, m, env)
		}
	})
}

// checkCompileErrors checks the error of a Compile in which src stands at places.
func checkCompileErrors(t *testing.T, src string, err error, places map[string]spec.Pos) {
	t.Helper()
	var errs spec.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("Compile(%q): %T %v, want spec.Errors", src, err, err)
	}
	failed := map[string]bool{}
	for _, e := range errs {
		pos, ok := places[e.Path]
		if e.File != "job.yaml" || !ok || e.Pos != pos || strings.TrimSpace(e.Msg) == "" || strings.ContainsAny(e.Msg, "\r\n") {
			t.Fatalf("Compile(%q): error %#v is not one line at one of the expressions", src, e)
		}
		if want := fmt.Sprintf("job.yaml:%d:%d: %s: ", pos.Line, pos.Col, e.Path); !strings.HasPrefix(e.Error(), want) {
			t.Fatalf("Compile(%q): error %q does not start with %q", src, e.Error(), want)
		}
		failed[e.Path] = true
	}
	if failed["entities[0].properties.v"] && len(failed) != len(places) {
		t.Fatalf("Compile(%q): fails as a property, but not everywhere: %v", src, err)
	}
}

// checkMap maps env with m, whose expressions include src, within mapTimeout.
func checkMap(t *testing.T, src string, m *Mapping, env Env) {
	t.Helper()
	type mapped struct {
		rec Record
		ok  bool
		err error
	}
	done := make(chan mapped, 1)
	go func() {
		rec, ok, err := m.Map(env)
		done <- mapped{rec, ok, err}
	}()
	var r mapped
	select {
	case r = <-done:
	case <-time.After(mapTimeout):
		t.Fatalf("%s: Map(%q) did not end within %v", m.Name(), src, mapTimeout)
	}
	switch {
	case !r.ok:
		if m.Name() != "when" || r.err != nil || !isNoRecord(r.rec) {
			t.Fatalf("%s: Map(%q) = %+v, ok false, %v", m.Name(), src, r.rec, r.err)
		}
	case r.err != nil:
		var me *MapError
		if !errors.As(r.err, &me) || len(me.Fields) == 0 || r.rec.Body != nil {
			t.Fatalf("%s: Map(%q): %T %v with body %v", m.Name(), src, r.err, r.err, r.rec.Body)
		}
		for _, fe := range me.Fields {
			if fe.Field == "" || strings.TrimSpace(fe.Msg) == "" || strings.ContainsAny(fe.Msg, "\r\n") ||
				!utf8.ValidString(fe.Msg) || utf8.RuneCountInString(fe.Msg) > maxMessage {
				t.Fatalf("%s: Map(%q): field error %q is not one short line (%d characters)", m.Name(), src,
					fmt.Sprintf("%.300s", fe.Field+": "+fe.Msg), utf8.RuneCountInString(fe.Msg))
			}
		}
	default:
		if strings.TrimSpace(r.rec.UserObjectID) == "" {
			t.Fatalf("%s: Map(%q): record without a userObjectId", m.Name(), src)
		}
		b, err := EncodeJSON(r.rec.Body)
		if err != nil || !json.Valid(b) {
			t.Fatalf("%s: Map(%q): body %#v does not encode: %v", m.Name(), src, r.rec.Body, err)
		}
		if k, _ := r.rec.Body.Get("userObjectId"); k != r.rec.UserObjectID {
			t.Fatalf("%s: Map(%q): body's userObjectId %v, record's %q", m.Name(), src, k, r.rec.UserObjectID)
		}
	}
}

func isNoRecord(r Record) bool { return r.UserObjectID == "" && r.Entity == "" && r.Body == nil }

// expressionSeeds returns the expressions of the sample jobs (../samples/*/job.yaml) and of badJob,
// and every string literal of the package's tests that expr parses: that includes every
// expression the tests compile.
func expressionSeeds(f *testing.F) []string {
	var seeds []string
	jobs, err := filepath.Glob("../samples/*/job.yaml")
	if err != nil || len(jobs) == 0 {
		f.Fatalf("no sample jobs: %v", err)
	}
	dir := f.TempDir()
	for name, content := range map[string]string{"job.yaml": badJob, "rows.csv": "a\n1\n",
		"row.schema.json": rowSchema, "products.csv": "produkt,type\nSkuffe,Unique\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	for _, path := range append(jobs, filepath.Join(dir, "job.yaml")) {
		job, err := spec.Load(path, func(string) (string, bool) { return "", false })
		if err != nil {
			f.Fatalf("spec.Load: %v", err)
		}
		for _, e := range job.Entities {
			vals := []*spec.Value{e.UserObjectID, e.ID, e.When, e.Properties}
			if e.Parent != nil {
				vals = append(vals, e.Parent.UserObjectID)
			}
			for _, v := range vals {
				seeds = appendExprs(seeds, v)
			}
		}
	}
	seeds = append(seeds, testStrings(f, func(_, s string) bool {
		_, err := exprparser.Parse(s)
		return err == nil
	})...)
	slices.Sort(seeds)
	return slices.Compact(seeds)
}

// testStrings returns the string literals of the package's tests that keep accepts; key is the
// field name when the literal is the value of a keyed field of a composite literal, else "".
func testStrings(f *testing.F, keep func(key, s string) bool) []string {
	names, err := filepath.Glob("*_test.go")
	if err != nil {
		f.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range names {
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			f.Fatal(err)
		}
		keys := map[*ast.BasicLit]string{}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				k, isIdent := n.Key.(*ast.Ident)
				v, isLit := n.Value.(*ast.BasicLit)
				if isIdent && isLit {
					keys[v] = k.Name
				}
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); n.Kind == token.STRING && err == nil && keep(keys[n], s) {
					out = append(out, s)
				}
			}
			return true
		})
	}
	return out
}

// appendExprs appends the expressions in v.
func appendExprs(seeds []string, v *spec.Value) []string {
	if v == nil {
		return seeds
	}
	if v.Expr != "" {
		seeds = append(seeds, v.Expr)
	}
	for _, it := range v.Items {
		seeds = appendExprs(seeds, it)
	}
	for _, fl := range v.Fields {
		seeds = appendExprs(seeds, fl.Value)
	}
	return seeds
}
