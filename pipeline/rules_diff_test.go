package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// TestRulesMatchStoreOnJobs: for every sample and the benchmark job (with its deliberate
// faults), the cross-row rules over runstore's index amend the records exactly as the run store's
// SQL rules change them: the same records, statuses, messages, rows and dependency notes.
func TestRulesMatchStoreOnJobs(t *testing.T) {
	jobs, err := filepath.Glob("../samples/*/job.yaml")
	if err != nil || len(jobs) == 0 {
		t.Fatalf("samples: %v %v", jobs, err)
	}
	bench, err := benchdata.WriteOrderLines(filepath.Join(t.TempDir(), "benchdata"), 6000, "csv")
	if err != nil {
		t.Fatal(err)
	}
	jobs = append(jobs, bench)
	for _, path := range jobs {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			job, err := spec.Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			p, err := prepare(job)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			store, err := OpenStore(t.Context(), filepath.Join(t.TempDir(), StoreFile))
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			store.SendWithoutChildren(job)
			if _, _, err := p.evaluateAll(t.Context(), store, Options{}.withDefaults()); err != nil {
				t.Fatal(err)
			}
			distinct, referable, childless := map[string]bool{}, map[string]bool{}, map[string]bool{}
			for _, e := range job.Entities {
				distinct[e.Name], childless[e.Name] = e.Distinct, e.SendWithoutChildren
				if e.Parent != nil {
					referable[e.Parent.Entity] = true
				}
			}
			pre := dumpStore(t, store)
			ix := runstore.NewIndex(runstore.Options{Referable: referable, SendWithoutChildren: childless, SpillDir: t.TempDir()})
			defer ix.Close()
			for _, r := range pre.records {
				it := itemOf(r, distinct[r.Entity])
				addExpect(t, ix, it, r.Seq, false)
				for _, row := range pre.rows[r.Seq] { // the rows the store joined: the index joins them too
					it.Source, it.Origin, it.OriginLine, it.OriginPath = row.Source, row.origin, row.Line, row.Path
					addExpect(t, ix, it, r.Seq, true)
				}
			}
			compareRules(t, store, ix, pre)
		})
	}
}

// storeDump is what a run store holds before its rules run.
type storeDump struct {
	records []StoredRecord
	bySeq   map[int64]StoredRecord
	rows    map[int64][]keyedRow // the rows Add joined to each record
}

func dumpStore(t *testing.T, store *Store) storeDump {
	t.Helper()
	d := storeDump{bySeq: map[int64]StoredRecord{}, rows: map[int64][]keyedRow{}}
	if err := store.Records(t.Context(), "", "", func(r StoredRecord) error {
		d.records = append(d.records, r)
		d.bySeq[r.Seq] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range d.records {
		rows, err := store.furtherRows(t.Context(), r.Seq)
		if err != nil {
			t.Fatal(err)
		}
		d.rows[r.Seq] = rows
	}
	return d
}

// lookup gives the rules what the index does not keep, from what the store held before them.
func (d storeDump) lookup(seq int64) (runstore.Detail, error) {
	r, ok := d.bySeq[seq]
	if !ok {
		return runstore.Detail{}, fmt.Errorf("no record %d", seq)
	}
	return runstore.Detail{UserObjectID: r.UserObjectID, Body: r.Body, Messages: r.Messages}, nil
}

func itemOf(r StoredRecord, distinct bool) runstore.Item {
	return runstore.Item{UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind, EntityType: r.EntityType,
		GroupOrder: r.GroupOrder, Parent: r.Parent, Distinct: distinct, Status: r.Status, Body: r.Body,
		Source: r.Source, Origin: r.Origin, OriginLine: r.OriginLine, OriginPath: r.OriginPath}
}

func addExpect(t *testing.T, ix *runstore.Index, it runstore.Item, seq int64, joined bool) {
	t.Helper()
	got, j, err := ix.Add(it)
	if err != nil || got != seq || j != joined {
		t.Fatalf("Add(%s %q at %s) = %d, joined %v, %v; the store made it %d, joined %v", it.Entity, it.UserObjectID, it.Origin, got, j, err, seq, joined)
	}
}

// compareRules runs the store's rules and the index's, and compares what each leaves.
func compareRules(t *testing.T, store *Store, ix *runstore.Index, pre storeDump) {
	t.Helper()
	ctx := t.Context()
	for _, step := range []func(context.Context) (int, error){store.ResolveKeys, store.LinkConverters, store.ResolveParents} {
		if _, err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int64]string{}
	if err := store.Records(ctx, "", "", func(r StoredRecord) error {
		want[r.Seq] = outcomeLine(r.Status, r.Messages, r.Rows)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	am, err := runstore.Resolve(ix, pre.lookup)
	if err != nil {
		t.Fatal(err)
	}
	got := amended(pre, ix, am)
	for _, seq := range slices.Sorted(keysOf(want, got)) {
		if got[seq] != want[seq] {
			t.Errorf("record %d:\n index: %s\n store: %s", seq, got[seq], want[seq])
		}
	}
	notes, err := store.DependencyNotes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(am.Notes, "\n") != strings.Join(notes, "\n") {
		t.Errorf("notes:\n index: %q\n store: %q", am.Notes, notes)
	}
	changed := 0
	for _, r := range pre.records {
		if _, ok := want[r.Seq]; ok && want[r.Seq] != outcomeLine(r.Status, r.Messages, r.Rows) {
			changed++
		}
	}
	t.Logf("%d records, %d changed by the rules, %d merged, %d dependencies", len(pre.records), changed, len(am.Merged), len(am.Deps))
}

// amended applies the amendments to the records as the store held them before its rules.
func amended(pre storeDump, ix *runstore.Index, am *runstore.Amendments) map[int64]string {
	gone := map[int64]bool{}
	for _, m := range am.Merged {
		gone[m.Seq] = true
	}
	changes := map[int64]runstore.Change{}
	for _, c := range am.Changes {
		changes[c.Seq] = c
	}
	out := map[int64]string{}
	for _, r := range pre.records {
		if gone[r.Seq] {
			continue
		}
		st, msgs := r.Status, slices.Clone(r.Messages)
		if c, ok := changes[r.Seq]; ok {
			st, msgs = c.Status, append(msgs, c.Add...)
		}
		rows := []string{r.Origin}
		for _, row := range ix.Rows(r.Seq) {
			rows = append(rows, row.Origin)
		}
		out[r.Seq] = outcomeLine(st, msgs, rows)
	}
	return out
}

func outcomeLine(st record.Status, msgs []record.Message, rows []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s rows=%q", st, rows)
	for _, m := range msgs {
		fmt.Fprintf(&b, " | %s %s %q %q %d %q", m.Code, m.Property, m.Cell, m.Value, m.Line, m.Text)
	}
	return b.String()
}

func keysOf(ms ...map[int64]string) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		seen := map[int64]bool{}
		for _, m := range ms {
			for k := range m {
				if !seen[k] {
					seen[k] = true
					if !yield(k) {
						return
					}
				}
			}
		}
	}
}
