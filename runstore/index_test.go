package runstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// TestAddJoinsFollowingRows: a valid row of a distinct key joins the record its entity's last
// valid row made when key and body agree; anything else makes a record of its own.
func TestAddJoinsFollowingRows(t *testing.T) {
	order := func(uoid, body string, st record.Status) Item {
		return Item{Entity: "order", UserObjectID: uoid, Distinct: true, Status: st, Body: []byte(body), Kind: "onixwork"}
	}
	line := Item{Entity: "line", UserObjectID: "L", Status: record.Valid, Body: []byte(`{}`)}
	cases := []struct {
		name  string
		items []Item
		want  string // seq and joined per item
	}{
		{"agreeing rows join", []Item{order("O1", `{"a":1}`, valid), order("O1", `{"a":1}`, valid), order("O1", `{"a":1}`, valid)}, "1 1j 1j"},
		{"another entity between does not part them", []Item{order("O1", `{}`, valid), line, order("O1", `{}`, valid)}, "1 2 1j"},
		{"another key parts them", []Item{order("O1", `{}`, valid), order("O2", `{}`, valid), order("O1", `{}`, valid)}, "1 2 3"},
		{"a body that differs makes a record, which the next agreeing row joins", []Item{
			order("O1", `{"a":1}`, valid), order("O1", `{"a":2}`, valid), order("O1", `{"a":2}`, valid)}, "1 2 2j"},
		{"an invalid row makes a record and parts the rows around it", []Item{
			order("O1", `{}`, valid), order("O1", `{}`, invalid), order("O1", `{}`, valid)}, "1 2 3"},
		{"no userObjectId, no joining", []Item{order("", `{}`, valid), order("", `{}`, valid)}, "1 2"},
		{"records of entities not distinct never join", []Item{line, line}, "1 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ix := NewIndex(Options{})
			defer ix.Close()
			var got []string
			for i, it := range c.items {
				it.Source, it.Origin, it.OriginLine = "rows", fmt.Sprintf("rows.csv:%d", i+2), i+2
				seq, joined, err := ix.Add(it)
				if err != nil {
					t.Fatal(err)
				}
				s := fmt.Sprint(seq)
				if joined {
					s += "j"
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("got %s, want %s", strings.Join(got, " "), c.want)
			}
		})
	}
}

// TestRowsKeepTheirOrigins: further rows come back with their source, line, path and the origin
// text the run store shows, for CSV, XLSX and JSON rows and an origin that does not show its line.
func TestRowsKeepTheirOrigins(t *testing.T) {
	ix := NewIndex(Options{FirstSeq: 10})
	defer ix.Close()
	rows := []Row{
		{Source: "a", Origin: "orders.csv:2", Line: 2},
		{Source: "a", Origin: "orders.csv:12", Line: 12},
		{Source: "b", Origin: "book 2.xlsx Order lines!7", Line: 7},
		{Source: "c", Origin: "orders/1.json:1/Lines/3", Line: 1, Path: "/Lines/3"},
		{Source: "d", Origin: "stdin", Line: 4},
		{Source: "a", Origin: "orders.csv:3", Line: 3},
	}
	for i, r := range rows {
		seq, joined, err := ix.Add(Item{Entity: "order", UserObjectID: "O1", Distinct: true, Status: valid, Body: []byte(`{}`),
			Source: r.Source, Origin: r.Origin, OriginLine: r.Line, OriginPath: r.Path})
		if err != nil || seq != 10 || joined != (i > 0) {
			t.Fatalf("Add %d = %d, %v, %v", i, seq, joined, err)
		}
	}
	got := ix.Rows(10)
	want := []Row{rows[3], rows[5], rows[4], rows[2], rows[1]} // by line, then as they joined
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Rows:\n got %v\nwant %v", got, want)
	}
	if len(ix.Rows(11)) != 0 || ix.Len() != 1 {
		t.Errorf("a record that is not there has rows, or Len is %d", ix.Len())
	}
}

// TestSpill: past a tiny memory bound the slots go to a file in SpillDir, the rules amend the
// records as they do in memory, and Close removes the file.
func TestSpill(t *testing.T) {
	var recs []rec
	for i := range 3 * chunkSlots {
		o := fmt.Sprintf("O%d", i/3)
		switch i % 3 {
		case 0:
			recs = append(recs, rec{entity: "order", uoid: o, distinct: true, status: valid, body: `{}`})
		case 1:
			recs = append(recs, rec{entity: "order_line", uoid: o + "/1", parent: o, status: invalid, body: `{}`})
		default:
			recs = append(recs, rec{entity: "order_line", uoid: fmt.Sprintf("L%d", i%500), parent: "O" + fmt.Sprint(i%700), status: valid, body: `{}`})
		}
	}
	want := resolved(t, Options{}, recs)
	dir := t.TempDir()
	b := build(t, Options{MemoryBound: 1, SpillDir: dir}, recs)
	if !b.ix.slots.spilled() {
		t.Fatal("nothing spilled")
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.spill")); len(files) != 1 {
		t.Fatalf("spill files: %v", files)
	}
	am, err := Resolve(b.ix, b.lookup)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(t, b, am); got != want || len(am.Changes) < 1000 {
		t.Errorf("spilled, %d changes (unspilled: %d lines); first lines:\n%.600s\nwant:\n%.600s", len(am.Changes), strings.Count(want, "\n"), got, want)
	}
	if err := b.ix.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the run directory: %v", entries)
	}
}
