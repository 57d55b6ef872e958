package pipeline

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/transforms"
)

// diffRow is one hand-made entry: a row's record.
type diffRow struct {
	entity, uoid, parent string
	distinct             bool
	status               record.Status
	body                 string
	kind, etype          string // "" is onixwork
	group                int
}

func (d diffRow) entry(line int) Entry {
	kind := d.kind
	if kind == "" {
		kind = "onixwork"
	}
	e := Entry{Record: transforms.Record{Entity: d.entity, UserObjectID: d.uoid, Parent: d.parent, Distinct: d.distinct,
		Kind: kind, EntityType: d.etype, GroupOrder: d.group}, Body: []byte(d.body), Status: d.status, Source: "src",
		Origin: readers.Origin{File: "rows.csv", Line: line}}
	if line%7 == 0 { // some rows come from a sheet, some from a JSON file's nested array
		e.Origin = readers.Origin{File: "book.xlsx", Sheet: "Rows", Line: line}
	} else if line%5 == 0 {
		e.Origin = readers.Origin{File: "orders/1.json", Line: 1, Path: fmt.Sprintf("/Lines/%d", line)}
	}
	if d.status == Invalid {
		e.Messages = []Message{{Code: "required", Property: "qty", Cell: e.Origin.Cell("qty", 3), Text: "missing", Line: e.Origin.Line}}
	}
	return e
}

func site(uoid, code, props string, group int) diffRow {
	return diffRow{entity: "site", uoid: uoid, status: Valid, kind: "onkey", etype: "Site", group: group,
		body: `{"entityType":"Site","id":{"converter":"ReferenceLookup","code":"` + code + `"},"properties":{"code":"` + code + `"` + props + `}}`}
}

// TestRulesMatchStoreOnCases: hand-made cases of every rule, the index fed in row order and
// keeping no userObjectId but distinct records' (its Lookup confirms the rest), amend the
// records exactly as the run store's rules change them.
func TestRulesMatchStoreOnCases(t *testing.T) {
	v, inv := Valid, Invalid
	cases := []struct {
		name      string
		rows      []diffRow
		childless map[string]bool
	}{
		{"duplicates among three rows and two entities", []diffRow{
			{entity: "line", uoid: "L1", status: v, body: `{}`}, {entity: "line", uoid: "L2", status: v, body: `{}`},
			{entity: "line", uoid: "L1", status: v, body: `{}`}, {entity: "note", uoid: "L1", status: inv, body: `{}`},
			{entity: "line", uoid: "", status: inv, body: `{}`}, {entity: "line", uoid: "", status: v, body: `{}`}}, nil},
		{"a distinct key's rows: joined, apart, disagreeing, invalid", []diffRow{
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{"a":1,"b":{"c":2}}`},
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{"a":1,"b":{"c":2}}`},
			{entity: "order", uoid: "O2", distinct: true, status: v, body: `{"a":1}`},
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{"a":3,"b":{"c":2},"d":true}`},
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{"a":3,"b":{"c":2},"d":true}`},
			{entity: "order", uoid: "O2", distinct: true, status: v, body: `{"a":1}`},
			{entity: "order", uoid: "O1", distinct: true, status: inv, body: `{"a":1}`},
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{"a":1,"b":{"c":2}}`},
			{entity: "order", uoid: "O3", distinct: true, status: v, body: `{"x":"y"}`},
			{entity: "order", uoid: "O3", distinct: true, status: v, body: `{"x":"z"}`},
			{entity: "order", uoid: "O3", distinct: true, status: v, body: `{"x":"z"}`},
			{entity: "line", uoid: "O2", status: v, body: `{}`}}, nil},
		{"parent chains", []diffRow{
			{entity: "order", uoid: "O1", status: inv, body: `{}`},
			{entity: "item", uoid: "I1", parent: "L1", status: v, body: `{}`},
			{entity: "line", uoid: "L1", parent: "O1", status: v, body: `{}`},
			{entity: "line", uoid: "L2", parent: "O9", status: v, body: `{}`},
			{entity: "item", uoid: "I2", parent: "L2", status: v, body: `{}`},
			{entity: "order", uoid: "O2", status: v, body: `{}`},
			{entity: "line", uoid: "L3", parent: "O2", status: v, body: `{}`},
			{entity: "line", uoid: "L4", parent: "O2", status: inv, body: `{}`},
			{entity: "order", uoid: "O3", status: v, body: `{}`}, {entity: "order", uoid: "O3", status: v, body: `{}`},
			{entity: "line", uoid: "L5", parent: "O3", status: v, body: `{}`}}, nil},
		{"childless orders", []diffRow{
			{entity: "order", uoid: "O1", distinct: true, status: v, body: `{}`},
			{entity: "order_line", uoid: "O1/1", parent: "O1", status: inv, body: `{}`},
			{entity: "order_line", uoid: "O1/2", parent: "O1", status: inv, body: `{}`},
			{entity: "order", uoid: "O2", distinct: true, status: v, body: `{}`},
			{entity: "order_line", uoid: "O2/1", parent: "O2", status: inv, body: `{}`},
			{entity: "order_note", uoid: "O2/n", parent: "O2/1", status: v, body: `{}`},
			{entity: "order_note", uoid: "O2/m", parent: "O2", status: inv, body: `{}`},
			{entity: "kept", uoid: "K1", status: v, body: `{}`},
			{entity: "order_line", uoid: "K1/1", parent: "K1", status: inv, body: `{}`},
			{entity: "order", uoid: "O3", distinct: true, status: v, body: `{}`},
			{entity: "order_line", uoid: "O3/1", parent: "O3", status: v, body: `{}`},
			{entity: "order_line", uoid: "O3/2", parent: "O3", status: inv, body: `{}`},
			{entity: "order", uoid: "O4", status: v, body: `{}`, kind: "onkey"},
			{entity: "order_line", uoid: "O4/1", parent: "O4", status: inv, body: `{}`, kind: "onkey"}},
			map[string]bool{"kept": true}},
		{"converter dependencies across groups", []diffRow{
			{entity: "site_type", uoid: "T1", status: inv, kind: "onkey", etype: "SiteType", group: 1,
				body: `{"entityType":"SiteType","properties":{"code":"FAC"}}`},
			{entity: "site_type", uoid: "T2", status: v, kind: "onkey", etype: "SiteType", group: 1,
				body: `{"entityType":"SiteType","properties":{"code":"OFF"}}`},
			{entity: "site_type", uoid: "T3", status: v, kind: "onkey", etype: "SiteType", group: 1,
				body: `{"entityType":"SiteType","properties":{"code":"OFF"}}`},
			site("S1", "CPT", `,"siteTypeId":{"converter":"ReferenceLookup","code":"FAC"}`, 2),
			site("S2", "JNB", `,"siteTypeId":{"converter":"ReferenceLookup","code":"OFF"}`, 2),
			site("S3", "DBN", `,"siteTypeId":{"converter":"ReferenceLookup","type":"Custom","properties":{"SiteType->Code":"WH"}}`, 2),
			site("S4", "PE", `,"siteTypeId":{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->SiteType_Code":"FAC"}}`, 2),
			site("S5", "EL", `,"parentSiteId":{"converter":"ReferenceLookup","code":"CPT"}`, 3),
			site("S6", "GRJ", `,"parentSiteId":{"converter":"ReferenceLookup","code":"EL"},"siteTypeId":{"converter":"ReferenceLookup","code":"FAC"}`, 4),
			{entity: "site_type", uoid: "T4", status: v, kind: "onkey", etype: "SiteType", group: 1,
				body: `{"entityType":"SiteType","properties":{"code":"WH"}}`}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store, err := OpenStore(t.Context(), filepath.Join(t.TempDir(), StoreFile))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			store.sendChildless = c.childless
			ix := runstore.NewIndex(runstore.Options{SendWithoutChildren: c.childless})
			defer ix.Close()
			var seqs []int64
			for i, r := range c.rows {
				e := r.entry(i + 2)
				if err := store.Add(t.Context(), e); err != nil {
					t.Fatal(err)
				}
				seq, _, err := ix.Add(runstore.Item{UserObjectID: e.Record.UserObjectID, Entity: e.Record.Entity, Kind: e.Record.Kind,
					EntityType: e.Record.EntityType, GroupOrder: e.Record.GroupOrder, Parent: e.Record.Parent,
					Distinct: e.Record.Distinct, Status: e.Status, Body: e.Body, Source: e.Source,
					Origin: e.Origin.String(), OriginLine: e.Origin.Line, OriginPath: e.Origin.Path})
				if err != nil {
					t.Fatal(err)
				}
				seqs = append(seqs, seq)
			}
			pre := dumpStore(t, store)
			for i, r := range c.rows { // the index numbered the records as the store did
				if _, ok := pre.bySeq[seqs[i]]; !ok || (pre.bySeq[seqs[i]].UserObjectID != r.uoid) {
					t.Fatalf("row %d: the index made it record %d, which the store does not hold for %q", i+2, seqs[i], r.uoid)
				}
			}
			compareRules(t, store, ix, pre)
		})
	}
}
