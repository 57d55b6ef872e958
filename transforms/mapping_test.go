package transforms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// ex is an expression value.
func ex(src string) *spec.Value { return &spec.Value{Expr: src} }

// obj is an object value from alternating names and values.
func obj(kv ...any) *spec.Value {
	v := &spec.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Fields = append(v.Fields, spec.Field{Name: kv[i].(string), Value: kv[i+1].(*spec.Value)})
	}
	return v
}

// onKeySites is the entities of samples/onkey-sites/job.yaml, with the same expressions.
func onKeySites() *spec.Job {
	return &spec.Job{
		File:    "job.yaml",
		Target:  spec.Target{Kind: spec.OnKey},
		Sources: []spec.Source{{Name: "site_types"}, {Name: "sites"}},
		Entities: []spec.Entity{
			{Name: "site_type", Source: "site_types", EntityType: "SiteType", Action: "Merge", GroupOrder: 1,
				UserObjectID: ex("row.sap_id"), ID: ex(`custom({"SiteType->Code": row.code})`),
				Properties: obj("code", ex("row.code"), "description", ex("trim(row.description)"),
					"permissionTreeId", ex(`{"converter": "ReferenceLookup", "code": row.permission_tree}`))},
			{Name: "site", Source: "sites", EntityType: "Site", Action: "Merge", GroupOrder: 2,
				UserObjectID: ex("row.sap_id"), ID: ex("code(row.code)"),
				Properties: obj("code", ex("row.code"), "description", ex("trim(row.description)"),
					"permissionTreeId", ex("code(row.permission_tree)"), "parentSiteId", ex("row.parent_site_id"),
					"sequenceNumber", ex("row.sequence_number"), "siteTypeId", ex("row.site_type_id"),
					"currencyId", ex("row.currency_id"), "timeZoneOffset", ex("row.time_zone_offset"),
					"isVirtual", ex("row.is_virtual"))},
		},
	}
}

func mustCompile(t *testing.T, job *spec.Job) *Mappings {
	t.Helper()
	ms, err := Compile(job)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return ms
}

// TestSeed003 maps the rows behind seed 003's EntityImportCollection example and compares the
// import records with the example (testdata/seed003-example.json), byte for byte after
// indenting, so key order counts too.
func TestSeed003(t *testing.T) {
	ms := mustCompile(t, onKeySites())
	site := map[string]any{"sap_id": "SAP-XXX", "code": "CPT", "description": "Cape Town", "permission_tree": "A20",
		"parent_site_id": 5000001001, "sequence_number": "2", "site_type_id": 5000001000, "currency_id": 14,
		"time_zone_offset": 2, "is_virtual": false}
	siteType := map[string]any{"sap_id": "SAP-YYY", "code": "WHOUSE", "description": " Warehouse ", "permission_tree": "A20"}

	var bodies []Object
	for _, tc := range []struct {
		source string
		row    map[string]any
	}{{"sites", site}, {"site_types", siteType}} {
		maps := ms.ForSource(tc.source)
		if len(maps) != 1 {
			t.Fatalf("ForSource(%s) has %d mappings", tc.source, len(maps))
		}
		rec, ok, err := maps[0].Map(Env{Row: tc.row})
		if err != nil || !ok {
			t.Fatalf("Map: ok %v, err %v", ok, err)
		}
		bodies = append(bodies, rec.Body)
	}
	got, err := json.MarshalIndent(bodies, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/seed003-example.json")
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("records differ from seed 003:\n%s", got)
	}
	// Same keys in the same order as the documentation writes them.
	var idented bytes.Buffer
	if err := json.Indent(&idented, want, "", "  "); err != nil {
		t.Fatal(err)
	}
	if g := unescapeArrow(got); !bytes.Equal(g, bytes.TrimSpace(idented.Bytes())) {
		t.Fatalf("key order differs from seed 003:\n%s", g)
	}
}

// unescapeArrow undoes encoding/json's HTML escaping of ">" in keys such as "SiteType->Code".
func unescapeArrow(b []byte) []byte { return bytes.ReplaceAll(b, []byte(`\u003e`), []byte(">")) }

func TestRecordFields(t *testing.T) {
	job := onKeySites()
	job.Entities = append(job.Entities, spec.Entity{Name: "line", Source: "sites", Endpoint: "/v1/lines", Distinct: true,
		UserObjectID: ex(`row.sap_id + "/1"`), Parent: &spec.ParentRef{Entity: "site", UserObjectID: ex("row.sap_id")},
		Properties: obj("n", ex("1"))})
	ms := mustCompile(t, job)
	if n := len(ms.All()); n != 3 {
		t.Fatalf("All() has %d mappings", n)
	}
	m := ms.ForSource("sites")[1]
	if m.Name() != "line" || m.Source() != "sites" || m.Parent() != "site" || !m.Distinct() {
		t.Fatalf("mapping = %s %s %s %v", m.Name(), m.Source(), m.Parent(), m.Distinct())
	}
	rec, _, err := m.Map(Env{Row: map[string]any{"sap_id": "S1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := Record{UserObjectID: "S1/1", Entity: "line", Kind: spec.OnKey, Endpoint: "/v1/lines", Parent: "S1", Distinct: true,
		Body: Object{{"entityType", ""}, {"action", ""}, {"userObjectId", "S1/1"}, {"groupOrder", 0}, {"properties", Object{{"n", 1}}}}}
	if !reflect.DeepEqual(rec, want) {
		t.Fatalf("record =\n%#v\nwant\n%#v", rec, want)
	}
}

func TestOnixWorkBody(t *testing.T) {
	job := &spec.Job{Target: spec.Target{Kind: spec.OnixWork}, Sources: []spec.Source{{Name: "s"}},
		Entities: []spec.Entity{{Name: "order", Source: "s", Endpoint: "/v1/orders", GroupOrder: 1,
			UserObjectID: ex(`"ORD-" + row.no`),
			Properties: obj("orderImportId", ex("row.no"), "empty", &spec.Value{IsNull: true}, "missing", ex("row.nope"),
				"lines", &spec.Value{IsArray: true, Items: []*spec.Value{ex("1"), ex("row.nope"), {Literal: 2.5}}},
				"meta", obj("a", ex(`"x"`), "b", ex("absent()")), "n", &spec.Value{Literal: 0})}},
	}
	rec, ok, err := mustCompile(t, job).All()[0].Map(Env{Row: map[string]any{"no": "10001"}})
	if err != nil || !ok {
		t.Fatalf("ok %v, err %v", ok, err)
	}
	got, _ := json.Marshal(rec.Body)
	want := `{"orderImportId":"10001","empty":null,"lines":[1,null,2.5],"meta":{"a":"x"},"n":0}`
	if string(got) != want || rec.Endpoint != "/v1/orders" || rec.Kind != spec.OnixWork || rec.UserObjectID != "ORD-10001" {
		t.Fatalf("body %s, record %+v", got, rec)
	}
}

func TestWhen(t *testing.T) {
	tests := []struct {
		name    string
		when    *spec.Value
		row     map[string]any
		wantOK  bool
		wantErr string
	}{
		{name: "true", when: ex("row.active"), row: map[string]any{"active": true}, wantOK: true},
		{name: "false", when: ex("row.active"), row: map[string]any{"active": false}},
		{name: "literal false", when: &spec.Value{Literal: false}, row: map[string]any{}},
		{name: "comparison", when: ex(`row.kind == "A"`), row: map[string]any{"kind": "B"}},
		{name: "not a boolean", when: ex("row.active"), row: map[string]any{"active": "yes"}, wantOK: true,
			wantErr: `when: must give true or false, got "yes" (string)`},
		{name: "missing is not false", when: ex("row.active"), row: map[string]any{}, wantOK: true,
			wantErr: "when: must give true or false, got nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			job := &spec.Job{Target: spec.Target{Kind: spec.OnixWork}, Entities: []spec.Entity{{Name: "e",
				UserObjectID: ex(`"k"`), When: tc.when, Properties: obj()}}}
			rec, ok, err := mustCompile(t, job).All()[0].Map(Env{Row: tc.row})
			if ok != tc.wantOK || fmt.Sprint(err) != fmt.Sprint(errOrNil(tc.wantErr)) {
				t.Fatalf("ok %v err %v, want ok %v err %q", ok, err, tc.wantOK, tc.wantErr)
			}
			if tc.wantErr != "" && rec.UserObjectID != "k" {
				t.Fatalf("an invalid record must keep its userObjectId, got %q", rec.UserObjectID)
			}
		})
	}
}

func errOrNil(msg string) error {
	if msg == "" {
		return nil
	}
	return errors.New(msg)
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name    string
		value   any
		want    string
		wantErr string
	}{
		{name: "text", value: "SAP-1", want: "SAP-1"},
		{name: "integer", value: 5000001001, want: "5000001001"},
		{name: "int64", value: int64(42), want: "42"},
		{name: "whole float", value: 5000001001.0, want: "5000001001"},
		{name: "json number", value: json.Number("17"), want: "17"},
		{name: "fraction", value: 2.5, wantErr: "userObjectId: must be non-empty text or an integer, got 2.5 (float64)"},
		{name: "empty", value: " ", wantErr: "userObjectId: is empty"},
		{name: "nil", value: nil, wantErr: "userObjectId: is nil (absent); it must be non-empty text or an integer"},
		{name: "bool", value: true, wantErr: "userObjectId: must be non-empty text or an integer, got true (bool)"},
	}
	job := &spec.Job{Target: spec.Target{Kind: spec.OnixWork}, Entities: []spec.Entity{{Name: "e", UserObjectID: ex("row.k")}}}
	m := mustCompile(t, job).All()[0]
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _, err := m.Map(Env{Row: map[string]any{"k": tc.value}})
			if fmt.Sprint(err) != fmt.Sprint(errOrNil(tc.wantErr)) || rec.UserObjectID != tc.want {
				t.Fatalf("key %q err %v, want %q err %q", rec.UserObjectID, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestErrorsPerField: every failing field of a record is reported, and the record keeps its
// userObjectId.
func TestErrorsPerField(t *testing.T) {
	job := onKeySites()
	job.Entities[1].Parent = &spec.ParentRef{Entity: "site_type", UserObjectID: ex("row.parent_key")}
	job.Entities[1].Properties.Fields[1].Value = ex("upper(row.description) + 1")
	job.Entities[1].Properties.Fields[3].Value = ex(`map_value(row.parent_site_id, {"1": 5000001001})`)
	m := mustCompile(t, job).ForSource("sites")[0]
	rec, ok, err := m.Map(Env{Row: map[string]any{"sap_id": "SAP-1", "description": "x", "parent_site_id": 7, "parent_key": 2.5}})
	var me *MapError
	if !ok || !errors.As(err, &me) {
		t.Fatalf("ok %v err %v", ok, err)
	}
	want := []FieldError{
		{"parent.userObjectId", "must be non-empty text or an integer, got 2.5 (float64)"},
		{"id", "is nil; the Merge action needs an id"},
		{"properties.description", "invalid operation: string + int"},
		{"properties.parentSiteId", `no mapping for "7"`},
	}
	if !reflect.DeepEqual(me.Fields, want) {
		t.Fatalf("fields = %q\nwant %q", me.Fields, want)
	}
	if rec.UserObjectID != "SAP-1" || rec.Entity != "site" || rec.Body != nil {
		t.Fatalf("record = %+v", rec)
	}
	if got := err.Error(); got != `parent.userObjectId: must be non-empty text or an integer, got 2.5 (float64); id: is nil; the Merge action needs an id; properties.description: invalid operation: string + int; properties.parentSiteId: no mapping for "7"` {
		t.Fatalf("Error() = %s", got)
	}
}

func TestOuterAndParent(t *testing.T) {
	job := &spec.Job{Target: spec.Target{Kind: spec.OnixWork}, Entities: []spec.Entity{{Name: "line", UserObjectID: ex(`outer.no + "/" + string(row.n)`),
		Properties: obj("orderId", ex("parent.id"), "customer", ex("outer.customer"))}}}
	m := mustCompile(t, job).All()[0]
	tests := []struct {
		name string
		env  Env
		want string
	}{
		{"parent known", Env{Row: map[string]any{"n": 1}, Outer: map[string]any{"no": "A", "customer": "K"}, Parent: map[string]any{"id": 77}},
			`{"orderId":77,"customer":"K"}`},
		{"dry run: no parent", Env{Row: map[string]any{"n": 1}, Outer: map[string]any{"no": "A"}}, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, _, err := m.Map(tc.env)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := json.Marshal(rec.Body); string(got) != tc.want || rec.UserObjectID != "A/1" {
				t.Fatalf("body %s key %s", got, rec.UserObjectID)
			}
		})
	}
}

func TestRuntimeErrorsAreMapErrors(t *testing.T) {
	tests := []struct{ name, expr, want string }{
		{"member of nil", "row.a.b", "cannot fetch b from <nil>"},
		{"index out of range", `split("a", ",")[3]`, "index out of range: 3 (array length is 1)"},
		{"one line", `upper(split("a\nb", ","))`, "upper: expected text, got [a b] ([]string)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, msg := evalExpr(t, tc.expr, map[string]any{"a": nil})
			if msg != tc.want {
				t.Fatalf("%s: error %q, want %q", tc.expr, msg, tc.want)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    any
		wantErr string
	}{
		{name: "map sorted, nil left out", in: map[string]any{"b": 1, "a": []string{"x"}, "c": nil},
			want: Object{{"a", []any{"x"}}, {"b", 1}}},
		{name: "typed map", in: map[string]int{"z": 1}, want: Object{{"z", 1}}},
		{name: "NaN", in: math.NaN(), wantErr: "NaN is not a number JSON can carry"},
		{name: "function", in: func() {}, wantErr: "gives a func(), which cannot be sent as JSON"},
		{name: "int map", in: map[int]string{1: "a"}, wantErr: "gives map[1:a] (map[int]string), which cannot be sent as JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := plain(tc.in)
			if fmt.Sprint(err) != fmt.Sprint(errOrNil(tc.wantErr)) || (tc.wantErr == "" && !reflect.DeepEqual(got, tc.want)) {
				t.Fatalf("plain = %#v, %v; want %#v, %q", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// TestConcurrentMap maps from 8 goroutines at once (run with -race).
func TestConcurrentMap(t *testing.T) {
	ms := mustCompile(t, onKeySites())
	m := ms.ForSource("sites")[0]
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprintf("SAP-%d-%d", g, i)
				row := map[string]any{"sap_id": key, "code": "C", "description": " d ", "permission_tree": "A20"}
				if i%3 == 0 {
					row["sap_id"] = nil
				}
				rec, _, err := m.Map(Env{Row: row})
				switch {
				case i%3 == 0 && err == nil:
					errs <- fmt.Errorf("%s: no error for a nil key", key)
					return
				case i%3 != 0 && (err != nil || rec.UserObjectID != key):
					errs <- fmt.Errorf("%s: got %q, %v", key, rec.UserObjectID, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkMap maps one Site row of samples/onkey-sites (ten properties, two converters).
func BenchmarkMap(b *testing.B) {
	ms, err := Compile(onKeySites())
	if err != nil {
		b.Fatal(err)
	}
	m := ms.ForSource("sites")[0]
	row := map[string]any{"sap_id": "SAP-XXX", "code": "CPT", "description": " Cape Town ", "permission_tree": "A20",
		"parent_site_id": 5000001001, "sequence_number": "2", "site_type_id": 5000001000, "currency_id": 14,
		"time_zone_offset": 2, "is_virtual": false}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := m.Map(Env{Row: row}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
