package spec

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadDefaults(t *testing.T) {
	job, errs := loadIn(t, map[string]string{"job.yaml": head + `entities: [{name: e, source: s, entityType: Site, action: Insert, userObjectId: row.id}]`}, nil)
	if errs != "" {
		t.Fatal(errs)
	}
	dir, _ := filepath.Abs(".")
	want := &Job{
		File: "job.yaml", Dir: dir, Version: 1, Name: "t",
		Target: Target{Kind: OnKey, URL: "http://h", Tenant: "a", Connection: "b", Method: "POST", Auth: Auth{Kind: "none", TokenLifetime: "60m"}, Pos: Pos{3, 9}},
		Submit: Submit{BatchSize: 100, Concurrency: 4, Adaptive: true, Mode: "PerRecord", Ordered: true, Breaker: true, Retries: 5, Timeout: "60s"},
		Sources: []Source{{
			Name: "s", Path: "s.csv", File: filepath.Join(dir, "s.csv"), Format: "csv", HeaderRow: 1,
			Schema: filepath.Join(dir, "s.schema.json"),
			Typing: Typing{
				Empty: EmptyAbsent, Decimal: ".", Trim: true,
				TrueWords: []string{"true", "yes", "y", "1"}, FalseWords: []string{"false", "no", "n", "0"},
			},
			Pos: Pos{4, 11},
		}},
		Entities: []Entity{{
			Name: "e", Source: "s", EntityType: "Site", Action: "Create", GroupOrder: 1,
			UserObjectID: &Value{Expr: "row.id", Pos: Pos{5, 81}}, Pos: Pos{5, 12},
		}},
		Report: Report{Dir: "runs"},
	}
	if !reflect.DeepEqual(job, want) {
		t.Errorf("got  %+v\nwant %+v", job, want)
	}
}

func TestLoadSettings(t *testing.T) {
	spec := `version: 1
name: orders.2024-v2
target:
  kind: onixwork
  url: https://onix.example
  auth: {kind: key, token_file: secrets/token.txt}
submit: {concurrency: 2, adaptive: false, rate: 2.5, max_errors: 10, breaker: false, retries: 0, timeout: 2m, async: true, mode: AllOrNone}
sources:
  - name: orders
    file: orders
    schema: s.schema.json
    explode: Orderlines.ERPSerials
  - name: lines
    file: l.txt
    format: csv
    delimiter: "\t"
    encoding: windows-1252
    header_row: 3
    limits: {cell_size: 64KiB, record_size: 1048576, columns: 500}
    schema: s.schema.json
    typing: {empty: "null", decimal: ",", thousands: " .", date_layouts: [02.01.2006], trim: false, true_words: [ja]}
  - {name: book, file: b.xlsx, schema: s.schema.json, sheet_index: 2, limits: {workbook_size: 2GiB, sheet_size: "1.5 GB"}}
  - {name: docs, file: d.ndjson, schema: s.schema.json, explode: [Lines, "a.b"]}
lookups:
  - {name: types, file: s.csv, key: product, value: type, delimiter: ";", encoding: iso-8859-1}
report: {dir: out/runs}
entities:
  - {name: e, source: orders, endpoint: /v1/orders, userObjectId: row.id, distinct: true, when: row.ok}
`
	files := map[string]string{"job.yaml": spec, "orders/1.json": "{}", "l.txt": "", "b.xlsx": "", "d.ndjson": ""}
	job, errs := loadIn(t, files, nil)
	if errs != "" {
		t.Fatal(errs)
	}
	dir, _ := filepath.Abs(".")
	tests := []struct {
		name      string
		got, want any
	}{
		{name: "name", got: job.Name, want: "orders.2024-v2"},
		{name: "auth", got: job.Target.Auth, want: Auth{Kind: "key", TokenFile: filepath.Join(dir, "secrets/token.txt"), TokenLifetime: "60m"}},
		{name: "submit", got: job.Submit, want: Submit{BatchSize: 100, Concurrency: 2, Mode: "AllOrNone", Ordered: true, Async: true, Rate: 2.5, MaxErrors: 10, Retries: 0, Timeout: "2m"}},
		{name: "folder source is json", got: job.Sources[0].Format, want: "json"},
		{name: "folder source file", got: job.Sources[0].File, want: filepath.Join(dir, "orders")},
		{name: "explode string", got: job.Sources[0].Explode, want: []string{"Orderlines", "ERPSerials"}},
		{name: "explode list", got: job.Sources[3].Explode, want: []string{"Lines", "a.b"}},
		{name: "ndjson is jsonl", got: job.Sources[3].Format, want: "jsonl"},
		{name: "csv settings", got: [...]any{job.Sources[1].Format, job.Sources[1].Delimiter, job.Sources[1].Encoding, job.Sources[1].HeaderRow}, want: [...]any{"csv", "\t", "windows-1252", 3}},
		{name: "typing", got: job.Sources[1].Typing, want: Typing{Empty: EmptyNull, Decimal: ",", Thousands: " .", DateLayouts: []string{"02.01.2006"},
			TrueWords: []string{"ja"}, FalseWords: []string{"false", "no", "n", "0"}, Trim: false}},
		{name: "xlsx sheet index", got: [...]any{job.Sources[2].Format, job.Sources[2].SheetIndex, job.Sources[2].Sheet}, want: [...]any{"xlsx", 2, ""}},
		{name: "lookup", got: job.Lookups[0], want: Lookup{Name: "types", Path: "s.csv", File: filepath.Join(dir, "s.csv"), Key: "product", Value: "type", Delimiter: ";", Encoding: "iso-8859-1", Pos: Pos{25, 5}}},
		{name: "csv limits", got: job.Sources[1].Limits, want: Limits{CellBytes: 64 << 10, RecordBytes: 1 << 20, Columns: 500}},
		{name: "xlsx limits", got: job.Sources[2].Limits, want: Limits{WorkbookBytes: 2 << 30, SheetBytes: 3 << 29}},
		{name: "report dir as written", got: job.Report.Dir, want: "out/runs"},
		{name: "entity", got: [...]any{job.Entities[0].Endpoint, job.Entities[0].Distinct, job.Entities[0].When.Expr, job.Entities[0].GroupOrder}, want: [...]any{"/v1/orders", true, "row.ok", 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", tt.got, tt.want)
			}
		})
	}
}

func TestLoadValueTrees(t *testing.T) {
	spec := head + `entities:
  - name: e
    source: s
    entityType: Site
    action: Merge
    userObjectId: row.id
    id: {converter: ReferenceLookup, code: row.code}
    parent: {entity: e0, userObjectId: row.parent}
    properties:
      code: row.code
      count: 3
      ratio: -1.5
      active: true
      note: null
      quoted: "42"
      tags: [a, 2, [], {}]
      nested:
        z: row.z
        a: &shared row.a
      again: *shared
  - {name: e0, source: s, entityType: Site, action: Merge, userObjectId: row.id, id: 7}
`
	job, errs := loadIn(t, map[string]string{"job.yaml": spec}, nil)
	if errs != "" {
		t.Fatal(errs)
	}
	expr := func(s string, line, col int) *Value { return &Value{Expr: s, Pos: Pos{line, col}} }
	lit := func(v any, line, col int) *Value { return &Value{Literal: v, Pos: Pos{line, col}} }
	tests := []struct {
		name      string
		got, want *Value
	}{
		{name: "userObjectId", got: job.Entities[0].UserObjectID, want: expr("row.id", 10, 19)},
		{name: "id mapping", got: job.Entities[0].ID, want: &Value{Pos: Pos{11, 9}, Fields: []Field{
			{Name: "converter", Value: expr("ReferenceLookup", 11, 21)},
			{Name: "code", Value: expr("row.code", 11, 44)},
		}}},
		{name: "literal id", got: job.Entities[1].ID, want: lit(int64(7), 25, 86)},
		{name: "parent userObjectId", got: job.Entities[0].Parent.UserObjectID, want: expr("row.parent", 12, 40)},
		{name: "properties", got: job.Entities[0].Properties, want: &Value{Pos: Pos{14, 7}, Fields: []Field{
			{Name: "code", Value: expr("row.code", 14, 13)},
			{Name: "count", Value: lit(int64(3), 15, 14)},
			{Name: "ratio", Value: lit(-1.5, 16, 14)},
			{Name: "active", Value: lit(true, 17, 15)},
			{Name: "note", Value: &Value{IsNull: true, Pos: Pos{18, 13}}},
			{Name: "quoted", Value: expr("42", 19, 15)},
			{Name: "tags", Value: &Value{IsArray: true, Pos: Pos{20, 13}, Items: []*Value{
				expr("a", 20, 14), lit(int64(2), 20, 17),
				{IsArray: true, Items: []*Value{}, Pos: Pos{20, 20}},
				{Fields: []Field{}, Pos: Pos{20, 24}},
			}}},
			{Name: "nested", Value: &Value{Pos: Pos{22, 9}, Fields: []Field{
				{Name: "z", Value: expr("row.z", 22, 12)},
				{Name: "a", Value: expr("row.a", 23, 12)},
			}}},
			{Name: "again", Value: expr("row.a", 24, 14)},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got  %s\nwant %s", dumpValue(tt.got), dumpValue(tt.want))
			}
		})
	}
	if job.Entities[0].When != nil {
		t.Errorf("When = %+v, want nil when absent", job.Entities[0].When)
	}
}
