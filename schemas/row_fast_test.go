package schemas

import (
	"encoding/json"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fastSchemas are the schemas the differential tests run: the samples', the peers' and
// testdata/fast's. want says whether the fast check understands the schema; base is a valid row
// the random rows start from.
var fastSchemas = []struct {
	path string
	want bool
	base map[string]any
}{
	{"../samples/onkey-sites/schemas/site.schema.json", true, map[string]any{"sap_id": "SAP-1", "code": "CPT", "description": "x",
		"permission_tree": "A20", "parent_site_id": int64(1), "site_type_id": int64(5), "currency_id": int64(14), "time_zone_offset": 2.0, "is_virtual": false}},
	{"../samples/onkey-sites/schemas/site-type.schema.json", true, map[string]any{"sap_id": "ST-1", "code": "CPT", "description": "x", "permission_tree": "A20"}},
	{"../samples/onkey-sites-mistakes/schemas/site.schema.json", true, map[string]any{"sap_id": "SAP-1", "code": "CPT", "description": "x",
		"permission_tree": "A20", "site_type_id": int64(5), "currency_id": int64(14), "is_virtual": true}},
	{"../samples/orders-csv/schemas/order-line-row.schema.json", true, map[string]any{"Ordrenr": "10001", "Ordredato": "2024-03-01",
		"Kundenr": "K1", "Linjenr": int64(1), "Produkt": "P", "Antall": 2.5, "Enhetspris": 0.0, "Leveringsdato": "2024-03-31"}},
	{"../samples/webapi-migration/schemas/erp-order.schema.json", false, nil},     // an array column
	{"../samples/webapi-migration/schemas/erp-orderline.schema.json", false, nil}, // arrays of objects
	{"testdata/fast/peers-line.schema.json", true, map[string]any{"order_no": "SO-100000", "customer_ext_id": "CUST-0",
		"order_date": "2026-03-01", "line_no": int64(1), "product_no": "P-0", "quantity": int64(1), "unit_price": 0.0, "warehouse": "WH-0"}},
	{"testdata/fast/keywords.schema.json", true, map[string]any{"s": "ab", "i": int64(1), "n": 1.5, "nm": -12.5, "d": "2024-02-29"}},
	{"testdata/fast/open.schema.json", true, map[string]any{"a": "x", "n": int64(0)}},
	{"testdata/row.schema.json", false, nil},
}

func loadFast(t testing.TB, path string, want bool) *RowSchema {
	t.Helper()
	s, err := LoadRow(path)
	if err != nil {
		t.Fatal(err)
	}
	if (s.fast != nil) != want {
		t.Fatalf("%s: fast check built: %v, want %v", path, s.fast != nil, want)
	}
	return s
}

// libraryValid is the library's own verdict, without the fast check.
func libraryValid(s *RowSchema, row map[string]any) bool { return s.schema.Validate(row) == nil }

func TestFastRowBuilt(t *testing.T) {
	for _, fs := range fastSchemas {
		t.Run(filepath.Base(fs.path), func(t *testing.T) { loadFast(t, fs.path, fs.want) })
	}
}

// TestFastRowRefusesOtherKeywords: a keyword the fast check does not read, at the top level or
// in a property, leaves the whole schema to the library.
func TestFastRowRefusesOtherKeywords(t *testing.T) {
	tests := []struct{ name, root, prop string }{
		{"baseline (understood)", ``, `"type":"string"`},
		{"minProperties", `"minProperties":1,`, `"type":"string"`},
		{"allOf", `"allOf":[{"required":["a"]}],`, `"type":"string"`},
		{"if then", `"if":{"required":["a"]},"then":{"required":["b"]},`, `"type":"string"`},
		{"dependentRequired", `"dependentRequired":{"a":["b"]},`, `"type":"string"`},
		{"patternProperties", `"patternProperties":{"^x":{"type":"integer"}},`, `"type":"string"`},
		{"propertyNames", `"propertyNames":{"maxLength":3},`, `"type":"string"`},
		{"additionalProperties schema", `"additionalProperties":{"type":"integer"},`, `"type":"string"`},
		{"unevaluatedProperties", `"unevaluatedProperties":false,`, `"type":"string"`},
		{"root enum", `"enum":[{"a":"x"}],`, `"type":"string"`},
		{"$ref", `"$defs":{"s":{"type":"string"}},`, `"$ref":"#/$defs/s"`},
		{"multipleOf", ``, `"type":"number","multipleOf":0.5`},
		{"not", ``, `"not":{"const":"x"}`},
		{"anyOf", ``, `"anyOf":[{"type":"string"},{"type":"null"}]`},
		{"object property", ``, `"type":"object","properties":{"x":{"type":"string"}}`},
		{"array property", ``, `"type":"array","items":{"type":"string"}`},
		{"contentEncoding", ``, `"type":"string","contentEncoding":"base64"`},
		{"false schema", ``, `"not":true`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.json")
			doc := `{"type":"object",` + tt.root + `"properties":{"a":{` + tt.prop + `}}}`
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			loadFast(t, path, tt.name == "baseline (understood)")
		})
	}
}

// TestFastRowAccepts: the rows the fast check is for are accepted by it, and every row it
// accepts the library accepts.
func TestFastRowAccepts(t *testing.T) {
	tests := []struct {
		name, path string
		row        map[string]any
		want       bool // the fast check's answer
	}{
		{"peers' row", "testdata/fast/peers-line.schema.json", map[string]any{"order_no": "SO-100000", "customer_ext_id": "CUST-0",
			"order_date": "2026-03-01", "delivery_date": "2026-04-01", "project": "Project 0", "line_no": int64(1), "product_no": "P-0",
			"product_name": "Hydraulic pump model 0", "quantity": int64(1), "unit_price": 0.0, "serial_number": "SN9000000",
			"batch_no": "B0", "warehouse": "WH-0", "notes": "free text note for line 0"}, true},
		{"peers' row, bad warehouse", "testdata/fast/peers-line.schema.json", map[string]any{"order_no": "SO-1", "customer_ext_id": "C",
			"order_date": "2026-03-01", "line_no": int64(1), "product_no": "P", "quantity": int64(1), "warehouse": "WH-9"}, false},
		{"peers' row, missing quantity", "testdata/fast/peers-line.schema.json", map[string]any{"order_no": "SO-1", "customer_ext_id": "C",
			"order_date": "2026-03-01", "line_no": int64(1), "product_no": "P"}, false},
		{"site", "../samples/onkey-sites/schemas/site.schema.json", map[string]any{"sap_id": "SAP-1", "code": "CPT", "description": "Cape Town",
			"permission_tree": "A20", "parent_site_id": int64(5000001001), "site_type_id": int64(5), "currency_id": int64(14),
			"time_zone_offset": 2.0, "is_virtual": false}, true},
		{"site, extra column", "../samples/onkey-sites/schemas/site.schema.json", map[string]any{"sap_id": "SAP-1", "code": "CPT", "description": "x",
			"permission_tree": "A20", "site_type_id": int64(5), "currency_id": int64(14), "is_virtual": false, "colour": "red"}, false},
		{"site, offset at the maximum", "../samples/onkey-sites/schemas/site.schema.json", map[string]any{"sap_id": "SAP-1", "code": "CPT",
			"description": "x", "permission_tree": "A20", "site_type_id": int64(5), "currency_id": int64(14), "is_virtual": true, "time_zone_offset": 14.0}, true},
		{"site, offset above the maximum", "../samples/onkey-sites/schemas/site.schema.json", map[string]any{"sap_id": "SAP-1", "code": "CPT",
			"description": "x", "permission_tree": "A20", "site_type_id": int64(5), "currency_id": int64(14), "is_virtual": true, "time_zone_offset": 14.5}, false},
		{"order line", "../samples/orders-csv/schemas/order-line-row.schema.json", map[string]any{"Ordrenr": "10001", "Ordredato": "2024-03-01",
			"Kundenr": "K1", "Kontakt_epost": "not an e-mail (idn-email is not asserted)", "Linjenr": int64(1), "Produkt": "P", "Antall": 2.5,
			"Enhetspris": 0.0, "Leveringsdato": "2024-03-31"}, true},
		{"order line, zero quantity", "../samples/orders-csv/schemas/order-line-row.schema.json", map[string]any{"Ordrenr": "10001",
			"Ordredato": "2024-03-01", "Kundenr": "K1", "Linjenr": int64(1), "Produkt": "P", "Antall": 0.0}, false},
		{"order line, bad date", "../samples/orders-csv/schemas/order-line-row.schema.json", map[string]any{"Ordrenr": "10001",
			"Ordredato": "2024-02-30", "Kundenr": "K1", "Linjenr": int64(1), "Produkt": "P", "Antall": 1.0}, false},
		{"keywords", "testdata/fast/keywords.schema.json", map[string]any{"s": "héllo", "p": "AB-12", "e": "b", "c": "x", "cnull": nil,
			"i": int64(100), "n": 0.2, "nm": nil, "ni": 2.999, "b": true, "d": "2024-02-29", "dt": "2024-01-02T10:30:00+02:00",
			"em": "a.b@example.com", "host": "example.com", "ip": "10.0.0.1", "u": "123e4567-e89b-12d3-a456-426614174000", "any": []any{1},
			"big": int64(9007199254740992 - 1), "ms": int64(3)}, false}, // big is below its minimum
		{"keywords, all valid", "testdata/fast/keywords.schema.json", map[string]any{"s": "héllo", "p": "AB-12", "e": "b", "c": "x", "cnull": nil,
			"i": 1.0, "n": 1e299, "nm": -12.5, "ni": 0.0, "b": false, "d": "2024-02-29", "dt": "2024-01-02T10:30:00Z",
			"em": "a.b@example.com", "host": 5, "ip": "10.0.0.1", "u": "123e4567-e89b-12d3-a456-426614174000", "ms": "x"}, true},
		{"keywords, exclusive bound equal", "testdata/fast/keywords.schema.json", map[string]any{"s": "ab", "ni": 3.0}, false},
		{"keywords, inexact bound equal", "testdata/fast/keywords.schema.json", map[string]any{"s": "ab", "n": 0.1}, false},
		{"keywords, enum number", "testdata/fast/keywords.schema.json", map[string]any{"s": "ab", "e": int64(1)}, false}, // valid, left to the library
		{"keywords, json.Number", "testdata/fast/keywords.schema.json", map[string]any{"s": "ab", "i": json.Number("5")}, false},
		{"keywords, bad uuid", "testdata/fast/keywords.schema.json", map[string]any{"s": "ab", "u": "123"}, false},
		{"keywords, short string", "testdata/fast/keywords.schema.json", map[string]any{"s": "é"}, false},
		{"open schema, extra columns", "testdata/fast/open.schema.json", map[string]any{"a": "x", "n": int64(-0), "z": make(chan int)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := loadFast(t, tt.path, true)
			got := s.fast.accepts(tt.row)
			if got != tt.want {
				t.Errorf("fast check says %v, want %v (library: valid %v)", got, tt.want, libraryValid(s, tt.row))
			}
			if got && !libraryValid(s, tt.row) {
				t.Errorf("fast check accepts a row the library rejects: %v", s.schema.Validate(tt.row))
			}
		})
	}
}

// randomRow builds a row for the schema's properties (and one it lacks) from fuzz input: a copy
// of base where each byte of pick chooses a property's value among as in base, absent, the fuzz
// strings and numbers, values near the schemas' bounds and formats, and values the fast check
// must leave to the library.
func randomRow(s *RowSchema, base map[string]any, pick []byte, s1, s2 string, n int64, f float64) map[string]any {
	names := []string{"extra"}
	for _, c := range s.Columns() {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	strs := []string{"", "a", "ab", "x", "b", "héllo", "SO-123", "SO-", "WH-3", "WH-7", "CPT", "cpt", "10001", "AB-12",
		"2024-02-29", "2023-02-29", "2024-13-01", "2024-01-02T10:30:00Z", "2024-01-02T25:30:00Z", "2024-01-02 10:30:00",
		"a@b.co", "a@@b", "x@[127.0.0.1]", "example.com", "-bad.com", "10.0.0.1", "10.0.0.256",
		"123e4567-e89b-12d3-a456-426614174000", "\u2028", "\xff", "a\x00b"}
	nums := []any{int64(0), int64(1), int64(-1), int64(14), int64(-12), int64(100), int64(101), int64(1 << 53), int64(1<<53 + 1),
		int64(math.MaxInt64), 0.0, math.Copysign(0, -1), 0.1, 0.2, 1.5, 14.0, 14.000000000000002, -12.5, -12.500000000000002,
		2.9999999999999996, 3.0, 1e300, 1e301, 9007199254740992.0, 9007199254740994.0, 1e20, 5e-324, math.NaN(), math.Inf(1),
		int(7), int32(7), uint8(7), float32(0.1), json.Number("1"), json.Number("1.5")}
	row := maps.Clone(base)
	if row == nil {
		row = map[string]any{}
	}
	for i, name := range names {
		if i >= len(pick) {
			break
		}
		b := pick[i]
		switch b % 13 {
		case 0:
			continue
		case 12:
			delete(row, name)
		case 1:
			row[name] = s1
		case 2:
			row[name] = s2
		case 3:
			row[name] = n
		case 4:
			row[name] = f
		case 5:
			row[name] = b&0x10 != 0
		case 6:
			row[name] = nil
		case 7, 8:
			row[name] = strs[int(b/13)%len(strs)]
		case 9, 10:
			row[name] = nums[int(b/13)%len(nums)]
		case 11:
			row[name] = []any{map[string]any{"k": s1}, map[string]any{}, []any{}}[int(b/13)%3]
		}
	}
	return row
}

// FuzzFastAccept: on random rows against every schema of fastSchemas, the fast check never
// accepts a row the library rejects.
func FuzzFastAccept(f *testing.F) {
	var schemas []*RowSchema
	var bases []map[string]any
	for _, fs := range fastSchemas {
		if fs.want {
			schemas = append(schemas, loadFast(f, fs.path, true))
			bases = append(bases, fs.base)
		}
	}
	f.Add(uint8(0), []byte{7, 9, 21, 33, 45}, "SO-1", "2024-01-02", int64(1), 1.5)
	f.Add(uint8(0x86), []byte{0, 0, 9, 0, 22}, "SO-1", "2024-01-02", int64(1), 1.5)
	f.Add(uint8(7), []byte("\x07\x13\x1f\x2b\x37\x43\x4f\x5b\x67\x73"), "héllo", "a@b.co", int64(-5), 1e-7)
	f.Fuzz(func(t *testing.T, which uint8, pick []byte, s1, s2 string, n int64, x float64) {
		i := int(which) % len(schemas)
		s := schemas[i]
		var base map[string]any
		if which&0x80 != 0 {
			base = bases[i]
		}
		row := randomRow(s, base, pick, s1, s2, n, x)
		if s.fast.accepts(row) && !libraryValid(s, row) {
			t.Fatalf("%s: the fast check accepts %#v, the library says %v", s.path, row, s.schema.Validate(row))
		}
	})
}

// TestFastAcceptRandomRows runs FuzzFastAccept's property over seeded random rows and checks
// that the fast check decides a good share of the valid ones (it would be sound, and useless,
// if it accepted nothing).
func TestFastAcceptRandomRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, fs := range fastSchemas {
		if !fs.want {
			continue
		}
		s := loadFast(t, fs.path, true)
		valid, accepted := 0, 0
		for range 5000 {
			pick := make([]byte, 40) // zero: as in the base row
			for range 1 + rng.IntN(2) {
				pick[rng.IntN(len(pick))] = byte(rng.IntN(256))
			}
			row := randomRow(s, fs.base, pick, "SO-1", "x", rng.Int64N(200)-50, rng.Float64()*30-15)
			ok := libraryValid(s, row)
			fast := s.fast.accepts(row)
			if fast && !ok {
				t.Fatalf("%s: the fast check accepts %#v, the library says %v", fs.path, row, s.schema.Validate(row))
			}
			if ok {
				valid++
			}
			if fast {
				accepted++
			}
		}
		t.Logf("%s: %d of 5000 random rows valid, %d accepted by the fast check", filepath.Base(fs.path), valid, accepted)
		if accepted < valid/2 {
			t.Errorf("%s: the fast check accepted %d of %d valid rows, want at least half", fs.path, accepted, valid)
		}
	}
}
