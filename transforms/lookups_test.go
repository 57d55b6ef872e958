package transforms

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// lookupJob is a job whose only lookup table "t" holds content.
func lookupJob(t *testing.T, content string, l spec.Lookup) *spec.Job {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	l.Name, l.Path, l.File, l.Pos = "t", "t.csv", file, spec.Pos{Line: 9, Col: 5}
	return &spec.Job{File: "job.yaml", Target: spec.Target{Kind: spec.OnixWork}, Lookups: []spec.Lookup{l},
		Entities: []spec.Entity{{Name: "e", UserObjectID: ex(`"k"`), Properties: obj("v", ex(`lookup("t", row.k)`),
			"w", ex(`lookup("t", row.k, "none")`))}}}
}

func TestLookupLoading(t *testing.T) {
	tests := []struct {
		name    string
		content string
		lookup  spec.Lookup
		wantErr string
	}{
		{name: "first and second column by default", content: "produkt,type,x\nSkuffe,Unique,1\n"},
		{name: "named columns, semicolons", content: "x;type;produkt\n1;Unique;Skuffe\n", lookup: spec.Lookup{Key: "produkt", Value: "type"}},
		{name: "same key twice with the same value", content: "produkt,type\nSkuffe,Unique\nSkuffe,Unique\n"},
		{name: "duplicate key", content: "produkt,type\nSkuffe,Unique\nOlje,Consumable\n\nSkuffe,Consumable\n",
			wantErr: `job.yaml:9:5: lookups[0]: t.csv: key "Skuffe" is "Unique" on line 2 but "Consumable" on line 5`},
		{name: "missing key column", content: "produkt,type\nSkuffe,Unique\n", lookup: spec.Lookup{Key: "product"},
			wantErr: `job.yaml:9:5: lookups[0].key: t.csv: has no key column "product" (columns: produkt, type)`},
		{name: "missing value column", content: "produkt,type\nSkuffe,Unique\n", lookup: spec.Lookup{Value: "kind"},
			wantErr: `job.yaml:9:5: lookups[0].value: t.csv: has no value column "kind" (columns: produkt, type)`},
		{name: "one column", content: "produkt\nSkuffe\n",
			wantErr: `job.yaml:9:5: lookups[0].value: t.csv: has 1 column(s); a lookup table needs a key and a value column`},
		{name: "empty key", content: "produkt,type\n,Unique\n",
			wantErr: `job.yaml:9:5: lookups[0]: t.csv:2: the key column "produkt" is empty`},
		{name: "no rows", content: "produkt,type\n", wantErr: `job.yaml:9:5: lookups[0]: t.csv: has no data rows`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := Compile(lookupJob(t, tc.content, tc.lookup))
			if tc.wantErr != "" {
				var errs spec.Errors
				if !errors.As(err, &errs) || err.Error() != tc.wantErr {
					t.Fatalf("err = %v\nwant %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rec, _, err := ms.All()[0].Map(Env{Row: map[string]any{"k": "Skuffe"}})
			if v, _ := rec.Body.Get("v"); err != nil || v != "Unique" {
				t.Fatalf("lookup = %v, %v", v, err)
			}
		})
	}
}

func TestLookupMissingKey(t *testing.T) {
	ms, err := Compile(lookupJob(t, "produkt,type\nSkuffe,Unique\n", spec.Lookup{}))
	if err != nil {
		t.Fatal(err)
	}
	m := ms.All()[0]
	rec, _, err := m.Map(Env{Row: map[string]any{"k": "Båt"}})
	if want := `properties.v: lookup "t": no row with key "Båt" in t.csv`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if rec.UserObjectID != "k" {
		t.Fatalf("record = %+v", rec)
	}
	rec, _, err = m.Map(Env{Row: map[string]any{}})
	if err != nil || len(rec.Body) != 1 || rec.Body[0].Value != "none" {
		t.Fatalf("nil key: body %v, err %v", rec.Body, err)
	}
}

func TestLookupErrorsReportedWithExpressionErrors(t *testing.T) {
	job := lookupJob(t, "produkt,type\nA,1\nA,2\n", spec.Lookup{})
	job.Entities[0].Properties.Fields[0].Value = &spec.Value{Expr: "lookup(t, row.k)", Pos: spec.Pos{Line: 20, Col: 10}}
	_, err := Compile(job)
	want := []string{
		`job.yaml:9:5: lookups[0]: t.csv: key "A" is "1" on line 2 but "2" on line 3`,
		`job.yaml:20:10: entities[0].properties.v: unknown name t (column 8 of the expression)`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("err =\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
}
