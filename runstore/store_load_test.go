package runstore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// loadThroughSink adds entries to a sink fed into a Loading of s and finishes it.
func loadThroughSink(t *testing.T, s *Store, opts Options, entries []record.Entry, pending, keepPending bool) (int, error) {
	t.Helper()
	opts.SpillDir = t.TempDir()
	sink, err := NewSink(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	load, err := s.StartLoading(t.Context(), pending)
	if err != nil {
		t.Fatal(err)
	}
	defer load.Stop()
	sink.Feed(load.Put)
	for i := range entries {
		e := entries[i]
		if err := sink.Add(&e); err != nil {
			return 0, err
		}
	}
	return load.Finish(t.Context(), sink, keepPending)
}

// A Loading stores the records of a sink as the rules amended them, under the seqs the sink gave
// them: a record merged into another leaves a gap and is one of its rows; a record whose parent
// no row produced is invalid, with the rule's message after its own; the rest are stored as
// added, pending when asked, valid again when the sources were not read to their end.
func TestLoadingStoresTheAmendedRecords(t *testing.T) {
	qty := func(v any) transforms.Member { return transforms.Member{Key: "qty", Value: v} }
	orphan := entry("line", "O9/1", 6, false, "O9", qty(2))
	orphan.Messages = []record.Message{{Code: "note", Severity: "info", Text: "its own"}}
	entries := []record.Entry{
		entry("order", "O1", 2, true, ""),
		entry("line", "O1/1", 3, false, "O1", qty(1)),
		entry("order", "O2", 4, true, ""),
		entry("order", "O1", 5, true, ""), // the same key again, apart: merged into seq 1
		orphan,
	}
	for _, tc := range []struct {
		name                 string
		pending, keepPending bool
		wantPending          int
		status               record.Status
	}{
		{"valid", false, true, 0, record.Valid},
		{"pending", true, true, 3, record.Pending},
		{"pending, a source not read to its end", true, false, 0, record.Valid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t)
			n, err := loadThroughSink(t, s, Options{Referable: map[string]bool{"order": true}}, entries, tc.pending, tc.keepPending)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.wantPending {
				t.Errorf("%d pending, want %d", n, tc.wantPending)
			}
			var got []string
			err = s.Records(t.Context(), Selection{}, func(r record.Entry) error {
				var codes []string
				for _, m := range r.Messages {
					codes = append(codes, m.Code)
				}
				got = append(got, fmt.Sprintf("%d %s %s %s %v", r.Seq, r.UserObjectID, r.Status, strings.Join(r.Rows, "+"), codes))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{
				fmt.Sprintf("1 O1 %s orders.csv:2+orders.csv:5 []", tc.status),
				fmt.Sprintf("2 O1/1 %s orders.csv:3 []", tc.status),
				fmt.Sprintf("3 O2 %s orders.csv:4 []", tc.status),
				"5 O9/1 invalid orders.csv:6 [note parent]",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("stored\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if m, err := s.CountStatus(t.Context(), record.Pending); err != nil || m != n {
				t.Errorf("the store holds %d pending (%v); Finish said %d", m, err, n)
			}
		})
	}
}

// Every record handed over is stored, across many batches and commits, and is there once the
// store is closed and opened again; the connection waits for the disk again after Finish.
func TestLoadingStoresEveryRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	entries := peerRecords(3*loadBatch + batchSize + 5)
	n, err := loadThroughSink(t, s, Options{}, entries, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(entries) {
		t.Errorf("%d pending, want %d", n, len(entries))
	}
	checkSynchronous(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if m, err := s.CountStatus(t.Context(), record.Pending); err != nil || m != len(entries) {
		t.Errorf("reopened: %d pending (%v), want %d", m, err, len(entries))
	}
}

// The store's failure while loading ends the evaluation's Add or Finish with that error; the
// connection waits for the disk again and the store takes further writes.
func TestLoadingStopsAtTheStoresError(t *testing.T) {
	s := openTestStore(t)
	if err := s.Insert(t.Context(), []record.Entry{entry("line", "first", 1, false, "")}); err != nil {
		t.Fatal(err)
	}
	// The sink numbers from 1, where the store already holds a record: the first Put fails.
	_, err := loadThroughSink(t, s, Options{}, peerRecords(4*loadBatch), false, true)
	if err == nil || !strings.Contains(err.Error(), "record 1 after record 1") {
		t.Fatalf("loading into a store holding seq 1: %v", err)
	}
	checkSynchronous(t, s)
	if err := s.MarkSending(t.Context(), []int64{1}); err != nil {
		t.Errorf("MarkSending after a failed load: %v", err)
	}
}

// checkSynchronous fails t unless s's connection waits for the disk as it does outside a load.
func checkSynchronous(t *testing.T, s *Store) {
	t.Helper()
	var sync int
	if err := s.db.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if sync != 1 {
		t.Errorf("synchronous %d, want 1 (NORMAL)", sync)
	}
}
