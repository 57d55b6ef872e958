package runstore

import (
	"testing"

	"github.com/bulkload/bulkload/record"
)

var parentCases = []struct {
	name string
	recs []rec
	want string
}{
	{"a parent no row produced", []rec{
		{entity: "line", uoid: "L1", parent: "O9", status: valid, body: `{}`},
		{entity: "line", uoid: "L2", parent: "O9", status: invalid, body: `{}`}}, `
1 invalid: parent parent: parent "O9" is not produced by any row`},
	{"an invalid parent skips its children, and theirs one pass later", []rec{
		{entity: "order", uoid: "O1", status: invalid, body: `{}`},
		{entity: "item", uoid: "I1", parent: "L1", status: valid, body: `{}`},
		{entity: "line", uoid: "L1", parent: "O1", status: valid, body: `{}`},
		{entity: "line", uoid: "L2", parent: "O1", status: invalid, body: `{}`}}, `
2 skipped: parent parent: parent "L1" is skipped
3 skipped: parent parent: parent "O1" is invalid`},
	{"a child of a missing parent's child", []rec{
		{entity: "line", uoid: "L1", parent: "O9", status: valid, body: `{}`},
		{entity: "item", uoid: "I1", parent: "L1", status: valid, body: `{}`}}, `
1 invalid: parent parent: parent "O9" is not produced by any row
2 skipped: parent parent: parent "L1" is invalid`},
	{"a parent of two records, both invalid as duplicates", []rec{
		{entity: "order", uoid: "O1", status: valid, body: `{}`}, {entity: "order", uoid: "O1", status: valid, body: `{}`},
		{entity: "line", uoid: "L1", parent: "O1", status: valid, body: `{}`}}, `
1 invalid: duplicate userObjectId: userObjectId "O1" is also produced by rows.csv:3
2 invalid: duplicate userObjectId: userObjectId "O1" is also produced by rows.csv:2
3 skipped: parent parent: parent "O1" is invalid`},
	{"an order whose only line is invalid", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{}`},
		{entity: "order_line", uoid: "O1/1", parent: "O1", status: invalid, body: `{}`}}, `
1 skipped: children : its only order line is invalid (send_without_children: true on its entity sends it anyway)`},
	{"an order whose lines are invalid, or skipped for their own parents", []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{}`},
		{entity: "order_line", uoid: "O1/1", parent: "O1", status: invalid, body: `{}`},
		{entity: "order_line", uoid: "O1/2", parent: "O1", status: invalid, body: `{}`},
		{entity: "order_note", uoid: "O1/n", parent: "O1", status: invalid, body: `{}`},
		{entity: "order", uoid: "O2", distinct: true, status: valid, body: `{}`},
		{entity: "order_line", uoid: "O2/1", parent: "O2", status: invalid, body: `{}`},
		{entity: "order_line", uoid: "O2/2", parent: "O2", status: invalid, body: `{}`},
		{entity: "order", uoid: "O3", distinct: true, status: valid, body: `{}`},
		{entity: "order_line", uoid: "O3/1", parent: "O3", status: valid, body: `{}`},
		{entity: "order_line", uoid: "O3/2", parent: "O3", status: invalid, body: `{}`}}, `
1 skipped: children : none of its 3 child records can be sent: 1 order note is invalid, 2 order lines are invalid (send_without_children: true on its entity sends it anyway)
5 skipped: children : all 2 of its order lines are invalid (send_without_children: true on its entity sends it anyway)`},
	{"the childless rule leaves On Key records and entities that send anyway alone", []rec{
		{entity: "kept", uoid: "K1", status: valid, body: `{}`},
		{entity: "line", uoid: "K1/1", parent: "K1", status: invalid, body: `{}`},
		{entity: "site", uoid: "S1", status: valid, body: `{}`, kind: "onkey"},
		{entity: "line", uoid: "S1/1", parent: "S1", status: invalid, body: `{}`, kind: "onkey"}}, ``},
}

// TestParentRules: missing, invalid and skipped parents, and childless Onix Work parents, with
// the run store's messages.
func TestParentRules(t *testing.T) {
	for _, c := range parentCases {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{SendWithoutChildren: map[string]bool{"kept": true}, Referable: map[string]bool{"order": true}}
			checkOutcomes(t, resolved(t, opts, c.recs), c.want)
		})
	}
}

// TestResolveParentsAfterSending: once a sent parent failed (SetStatus), ResolveParents skips its
// children still to go, and says so in this pass's amendments only.
func TestResolveParentsAfterSending(t *testing.T) {
	b := build(t, Options{}, []rec{
		{entity: "order", uoid: "O1", status: valid, body: `{}`},
		{entity: "line", uoid: "L1", parent: "O1", status: valid, body: `{}`},
		{entity: "line", uoid: "L2", parent: "O1", status: valid, body: `{}`},
		{entity: "order", uoid: "O2", status: valid, body: `{}`},
		{entity: "line", uoid: "L3", parent: "O2", status: valid, body: `{}`}})
	if am, err := Resolve(b.ix, b.lookup); err != nil || len(am.Changes) != 0 {
		t.Fatalf("Resolve: %v, %v", am, err)
	}
	for seq, st := range map[int64]record.Status{1: record.Failed, 3: record.Succeeded, 4: record.Succeeded} {
		if err := b.ix.SetStatus(seq, st); err != nil {
			t.Fatal(err)
		}
	}
	am, err := ResolveParents(b.ix, b.lookup)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, outcomes(t, b, am), `
2 skipped: parent parent: parent "O1" is failed`)
	if st, _ := b.ix.Status(2); st != record.Skipped {
		t.Errorf("record 2 is %s, want skipped", st)
	}
}

// TestKeepChildless: with the childless rule off, an order whose lines are all invalid stays valid.
func TestKeepChildless(t *testing.T) {
	got := resolved(t, Options{KeepChildless: true}, []rec{
		{entity: "order", uoid: "O1", distinct: true, status: valid, body: `{}`},
		{entity: "order_line", uoid: "O1/1", parent: "O1", status: invalid, body: `{}`},
		{entity: "order_note", uoid: "O1/1/n", parent: "O1/1", status: valid, body: `{}`}})
	checkOutcomes(t, got, `3 skipped: parent parent: parent "O1/1" is invalid`)
}
