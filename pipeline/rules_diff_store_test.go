package pipeline

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// sqlRules is the run store's side of the differential tests (rules_diff*_test.go): every call
// they make of the store, so that a store of another shape is adapted here only.
type sqlRules struct{ s *Store }

// openSQLRules opens a run store in a temporary directory; childless names the entities that
// send without children.
func openSQLRules(t *testing.T, childless map[string]bool) *sqlRules {
	t.Helper()
	s, err := OpenStore(t.Context(), filepath.Join(t.TempDir(), StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.sendChildless = childless
	return &sqlRules{s}
}

// add stores one entry, as the dry run's collector does.
func (q *sqlRules) add(t *testing.T, e Entry) {
	t.Helper()
	if err := q.s.Add(t.Context(), e); err != nil {
		t.Fatal(err)
	}
}

// evaluate stores the entries of every row of the job p prepared.
func (q *sqlRules) evaluate(t *testing.T, p *plan) {
	t.Helper()
	if _, _, err := p.evaluateAll(t.Context(), q.s, Options{}.withDefaults()); err != nil {
		t.Fatal(err)
	}
}

// storedRow is a row the store joined to a record besides its first.
type storedRow struct {
	Source, Origin string
	Line           int
	Path           string
}

// records returns the stored records in seq order, each with the rows joined to it.
func (q *sqlRules) records(t *testing.T) ([]record.Entry, map[int64][]storedRow) {
	t.Helper()
	var recs []record.Entry
	if err := q.s.Records(t.Context(), "", "", func(r StoredRecord) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows := map[int64][]storedRow{}
	for _, r := range recs {
		further, err := q.s.furtherRows(t.Context(), r.Seq)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range further {
			rows[r.Seq] = append(rows[r.Seq], storedRow{f.Source, f.origin, f.Line, f.Path})
		}
	}
	return recs, rows
}

// resolve runs the store's cross-row rules as a dry run does, and returns the dependency notes.
func (q *sqlRules) resolve(t *testing.T) []string {
	t.Helper()
	ctx := t.Context()
	for _, step := range []func(context.Context) (int, error){q.s.ResolveKeys, q.s.LinkConverters, q.s.ResolveParents} {
		if _, err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	notes, err := q.s.DependencyNotes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return notes
}
