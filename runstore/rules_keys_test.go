package runstore

import (
	"testing"

	"github.com/bulkload/bulkload/record"
)

const (
	valid   = record.Valid
	invalid = record.Invalid
)

var keyCases = []struct {
	name string
	recs []rec
	want string
}{
	{"unique userObjectIds change nothing", []rec{
		{entity: "line", uoid: "L1", status: valid, body: `{}`}, {entity: "line", uoid: "L2", status: valid, body: `{}`}}, ``},
	{"a userObjectId from three rows: each names the rows before it, the last all of them", []rec{
		{entity: "line", uoid: "L1", status: valid, body: `{}`}, {entity: "line", uoid: "L1", status: valid, body: `{}`},
		{entity: "line", uoid: "L2", status: valid, body: `{}`}, {entity: "line", uoid: "L1", status: invalid, body: `{}`}}, `
1 invalid: duplicate userObjectId: userObjectId "L1" is also produced by rows.csv:3 | duplicate userObjectId: userObjectId "L1" is also produced by rows.csv:5
2 invalid: duplicate userObjectId: userObjectId "L1" is also produced by rows.csv:2 | duplicate userObjectId: userObjectId "L1" is also produced by rows.csv:5
4 invalid: duplicate userObjectId: userObjectId "L1" is also produced by rows.csv:2, rows.csv:3`},
	{"records without a userObjectId are no duplicates", []rec{
		{entity: "line", status: invalid, body: `{}`}, {entity: "line", status: invalid, body: `{}`}}, ``},
	{"a distinct key's rows that follow each other and agree make one record", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`}}, ``},
	{"rows apart that agree are merged, with no message", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O2", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`}}, `
3 merged into 1 (rows: rows.csv:4 rows.csv:5)`},
	{"three rows that disagree: one conflict per row and field", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1,"b":{"c":"x"}}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":2,"b":{"c":"y"}}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":2,"b":{"c":"y"}}`}}, `
1 invalid: conflict a: rows disagree on a: rows.csv:2 has 1, rows.csv:3 has 2 | conflict b.c: rows disagree on b.c: rows.csv:2 has "x", rows.csv:3 has "y" | conflict a: rows disagree on a: rows.csv:2 has 1, rows.csv:4 has 2 | conflict b.c: rows disagree on b.c: rows.csv:2 has "x", rows.csv:4 has "y"
2 merged into 1 (rows: rows.csv:3 rows.csv:4)`},
	{"an invalid row of a distinct key gives the record its messages", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O1", distinct: true, status: invalid, body: `{"a":1}`}}, `
1 invalid: required qty: missing
2 merged into 1 (rows: rows.csv:3)`},
	{"a field only one row has", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1,"d":true}`}}, `
1 invalid: conflict d: rows disagree on d: rows.csv:2 has nothing, rows.csv:3 has true
2 merged into 1 (rows: rows.csv:3)`},
	{"a distinct key another entity produces too is a duplicate", []rec{
		{entity: "order", uoid: "X", distinct: true, status: valid, body: `{}`},
		{entity: "line", uoid: "X", status: valid, body: `{}`}}, `
1 invalid: duplicate userObjectId: userObjectId "X" is also produced by rows.csv:3
2 invalid: duplicate userObjectId: userObjectId "X" is also produced by rows.csv:2`},
}

// TestKeyRules: duplicates and the rows of distinct records, with the run store's messages.
func TestKeyRules(t *testing.T) {
	for _, c := range keyCases {
		t.Run(c.name, func(t *testing.T) {
			checkOutcomes(t, resolved(t, Options{}, c.recs), c.want)
		})
	}
}

// TestHashCollisionsChangeNothing: with every userObjectId hashed alike, the rules confirm each
// shared hash with the text and amend every case as with distinct hashes.
func TestHashCollisionsChangeNothing(t *testing.T) {
	for _, c := range append(keyCases, parentCases...) {
		t.Run(c.name, func(t *testing.T) {
			want := resolved(t, Options{}, c.recs)
			b := buildWith(t, Options{}, c.recs, func(ix *Index) { ix.hashOf = func(string) uint64 { return 42 } })
			am, err := Resolve(b.ix, b.lookup)
			if err != nil {
				t.Fatal(err)
			}
			checkOutcomes(t, outcomes(t, b, am), want)
		})
	}
}

// TestKeptUserObjectIDsNeedNoLookup: a job of unique userObjectIds asks the Lookup nothing.
func TestKeptUserObjectIDsNeedNoLookup(t *testing.T) {
	var recs []rec
	for _, u := range []string{"L1", "L2", "L3", "L4"} {
		recs = append(recs, rec{entity: "line", uoid: u, status: valid, body: `{}`})
	}
	b := build(t, Options{}, recs)
	if _, err := Resolve(b.ix, b.lookup); err != nil {
		t.Fatal(err)
	}
	if len(b.looked) != 0 {
		t.Errorf("Lookup asked for %v", b.looked)
	}
}

// TestAgreeingRowsApartNeedNoLookup: rows of a distinct key that do not follow each other but
// agree are merged on their bodies' hashes, without asking the Lookup for the bodies.
func TestAgreeingRowsApartNeedNoLookup(t *testing.T) {
	b := build(t, Options{}, []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O2", distinct: true, status: valid, body: `{"a":2}`},
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{"a":1}`},
		{entity: "order", uoid: "O2", distinct: true, status: valid, body: `{"a":2}`}})
	am, err := Resolve(b.ix, b.lookup)
	if err != nil {
		t.Fatal(err)
	}
	if len(am.Merged) != 2 || len(am.Changes) != 0 || len(b.looked) != 0 {
		t.Errorf("merged %v, changes %v, Lookup asked for %v", am.Merged, am.Changes, b.looked)
	}
}
