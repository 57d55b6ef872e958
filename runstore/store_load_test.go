package runstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// Load puts every record each gives with the seq it has (gaps kept), turns the valid ones pending
// only when asked, counts those, and leaves the connection waiting for the disk again (NORMAL);
// a store closed after it holds every record.
func TestLoadPutsEveryRecord(t *testing.T) {
	for _, pending := range []bool{false, true} {
		t.Run(fmt.Sprintf("pending=%v", pending), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			entries := peerRecords(3*loadBatch + 5)
			entries[1].Status = record.Invalid
			n, err := s.Load(t.Context(), pending, func(yield func(*record.Entry) error) error {
				for i := range entries {
					e := entries[i]
					e.Seq = int64(2*i + 1) // merged records leave gaps
					if err := yield(&e); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if pending {
				want = len(entries) - 1
			}
			if n != want {
				t.Errorf("Load put %d pending, want %d", n, want)
			}
			var sync int
			if err := s.db.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&sync); err != nil {
				t.Fatal(err)
			}
			if sync != 1 {
				t.Errorf("synchronous %d after Load, want 1 (NORMAL)", sync)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if s, err = Open(t.Context(), path); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var seqs []int64
			statuses := map[record.Status]int{}
			if err := s.Records(t.Context(), Selection{}, func(r record.Entry) error {
				seqs = append(seqs, r.Seq)
				statuses[r.Status]++
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(seqs) != len(entries) || seqs[0] != 1 || seqs[len(seqs)-1] != int64(2*len(entries)-1) {
				t.Errorf("stored %d records, seqs %d..%d; want %d, 1..%d", len(seqs), seqs[0], seqs[len(seqs)-1], len(entries), 2*len(entries)-1)
			}
			wantStatuses := map[record.Status]int{record.Invalid: 1, record.Valid: len(entries) - 1}
			if pending {
				wantStatuses = map[record.Status]int{record.Invalid: 1, record.Pending: len(entries) - 1}
			}
			if !reflect.DeepEqual(statuses, wantStatuses) {
				t.Errorf("statuses %v, want %v", statuses, wantStatuses)
			}
		})
	}
}

// An error of each, or of the store, ends Load with that error; the connection waits for the
// disk again and the store takes further writes.
func TestLoadStopsAtAnError(t *testing.T) {
	s := openTestStore(t)
	broken := errors.New("spill: unexpected EOF")
	entries := peerRecords(2*loadBatch + 1)
	_, err := s.Load(t.Context(), true, func(yield func(*record.Entry) error) error {
		for i := range entries {
			e := entries[i]
			e.Seq = int64(i + 1)
			if err := yield(&e); err != nil {
				return err
			}
		}
		return broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("Load: %v, want %v", err, broken)
	}
	_, err = s.Load(t.Context(), false, func(yield func(*record.Entry) error) error {
		e := entries[0]
		e.Seq = 1 // before what the first Load put
		return yield(&e)
	})
	if err == nil {
		t.Error("Load of a seq already stored: no error")
	}
	var sync int
	if err := s.db.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if sync != 1 {
		t.Errorf("synchronous %d after a failed Load, want 1 (NORMAL)", sync)
	}
	if err := s.MarkSending(t.Context(), []int64{1}); err != nil {
		t.Errorf("MarkSending after a failed Load: %v", err)
	}
}
