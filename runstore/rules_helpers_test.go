package runstore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// rec is one row of a test: the record it maps to. Lines are numbered from 2 in table order.
type rec struct {
	entity, uoid, parent string
	distinct             bool
	status               record.Status
	body                 string
	kind, etype          string // kind "" is onixwork
	group                int
}

// built is an index with the records of a table added, and what its Lookup gives.
type built struct {
	ix      *Index
	details map[int64]Detail
	looked  []int64 // the seqs Lookup was asked for, in order
}

func build(t *testing.T, opts Options, recs []rec) *built { return buildWith(t, opts, recs, nil) }

// buildWith is build with setup called on the empty index.
func buildWith(t *testing.T, opts Options, recs []rec, setup func(*Index)) *built {
	t.Helper()
	b := &built{ix: NewIndex(opts), details: map[int64]Detail{}}
	t.Cleanup(func() { b.ix.Close() })
	if setup != nil {
		setup(b.ix)
	}
	for i, r := range recs {
		line := i + 2
		kind := r.kind
		if kind == "" {
			kind = "onixwork"
		}
		var msgs []record.Message
		if r.status == record.Invalid {
			msgs = []record.Message{{Code: "required", Property: "qty", Cell: fmt.Sprintf("rows.csv:%d:qty", line), Text: "missing", Line: line}}
		}
		seq, joined, err := b.ix.Add(Item{UserObjectID: r.uoid, Entity: r.entity, Kind: kind, EntityType: r.etype, GroupOrder: r.group,
			Parent: r.parent, Distinct: r.distinct, Status: r.status, Body: []byte(r.body), Source: "rows",
			Origin: fmt.Sprintf("rows.csv:%d", line), OriginLine: line})
		if err != nil {
			t.Fatal(err)
		}
		if !joined {
			b.details[seq] = Detail{UserObjectID: r.uoid, Body: []byte(r.body), Messages: msgs}
		}
	}
	return b
}

func (b *built) lookup(seq int64) (Detail, error) {
	b.looked = append(b.looked, seq)
	d, ok := b.details[seq]
	if !ok {
		return Detail{}, fmt.Errorf("no record %d", seq)
	}
	return d, nil
}

// outcomes renders the amendments one line per changed or merged record: "3 invalid: code text | ...",
// "4 merged into 2 (rows: rows.csv:5 rows.csv:6)".
func outcomes(t *testing.T, b *built, am *Amendments) string {
	t.Helper()
	var lines []string
	for _, c := range am.Changes {
		var ms []string
		for _, m := range c.Add {
			ms = append(ms, m.Code+" "+m.Property+": "+m.Text)
		}
		lines = append(lines, fmt.Sprintf("%d %s: %s", c.Seq, c.Status, strings.Join(ms, " | ")))
	}
	for _, m := range am.Merged {
		var rows []string
		for _, r := range b.ix.Rows(m.Into) {
			rows = append(rows, r.Origin)
		}
		lines = append(lines, fmt.Sprintf("%d merged into %d (rows: %s)", m.Seq, m.Into, strings.Join(rows, " ")))
	}
	for _, d := range am.Deps {
		lines = append(lines, fmt.Sprintf("%d depends on %d: %s %s", d.Seq, d.On, d.Property, d.Ref))
	}
	for _, n := range am.Notes {
		lines = append(lines, "note: "+n)
	}
	return strings.Join(lines, "\n")
}

// resolved builds the index of recs, resolves it, and renders the amendments.
func resolved(t *testing.T, opts Options, recs []rec) string {
	t.Helper()
	b := build(t, opts, recs)
	am, err := Resolve(b.ix, b.lookup)
	if err != nil {
		t.Fatal(err)
	}
	return outcomes(t, b, am)
}

func checkOutcomes(t *testing.T, got, want string) {
	t.Helper()
	if got != strings.TrimSpace(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
}
