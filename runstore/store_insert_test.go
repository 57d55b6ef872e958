package runstore

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// Insert stores each entry as it is given (status, messages, body, environment, further rows),
// numbered after what the store holds, across several transactions; Records reads back the same.
func TestInsertStoresEntriesAsGiven(t *testing.T) {
	conflict := record.Message{Code: "conflict", Property: "amount", Text: "rows disagree on amount"}
	tests := []struct {
		name    string
		entries []record.Entry
		want    []string // per record: seq uoid status messages body env rows
	}{
		{
			name: "statuses and messages are kept, no rule applies",
			entries: []record.Entry{
				{UserObjectID: "A", Entity: "line", Status: record.Valid, Body: []byte(`{"a":1}`), Origin: "o.csv:2", OriginLine: 2},
				{UserObjectID: "A", Entity: "line", Status: record.Invalid, Body: []byte(`{"a":2}`), Origin: "o.csv:3", OriginLine: 3,
					Messages: []record.Message{{Code: "duplicate", Text: "twice"}}},
			},
			want: []string{
				`1 A valid [] {"a":1} <nil> [o.csv:2]`,
				`2 A invalid [duplicate] {"a":2} <nil> [o.csv:3]`,
			},
		},
		{
			name: "a distinct record keeps its further rows, in line order, and a mapping's environment",
			entries: []record.Entry{
				{UserObjectID: "O1", Entity: "order", Distinct: true, Status: record.Invalid, Body: []byte(`{}`),
					Env: []byte(`{"row":{"a":"1"}}`), Origin: "o.csv:2", OriginLine: 2, Messages: []record.Message{conflict},
					Further: []record.Row{{Source: "o", Line: 5, Origin: "o.csv:5"}, {Source: "o", Line: 4, Origin: "o.csv:4"}}},
			},
			want: []string{`1 O1 invalid [conflict] {} {"row":{"a":"1"}} [o.csv:2 o.csv:4 o.csv:5]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			if err := s.Insert(t.Context(), tt.entries); err != nil {
				t.Fatal(err)
			}
			for i, e := range tt.entries {
				if e.Seq != int64(i+1) {
					t.Errorf("entry %d: Seq %d, want %d", i, e.Seq, i+1)
				}
			}
			envs := map[int64]string{}
			if err := s.Bodies(t.Context(), Selection{}, func(r Sendable) error {
				if r.Env != nil {
					envs[r.Seq] = string(r.Env)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := s.Records(t.Context(), Selection{}, func(r record.Entry) error {
				var codes []string
				for _, m := range r.Messages {
					codes = append(codes, m.Code)
				}
				env, ok := envs[r.Seq]
				if !ok {
					env = "<nil>"
				}
				got = append(got, fmt.Sprintf("%d %s %s %v %s %s %v", r.Seq, r.UserObjectID, r.Status, codes, r.Body, env, r.Rows))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("stored\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// Insert numbers what it stores after what the store holds, and commits every batchSize rows: a
// store closed after Insert of more than one batch holds every record.
func TestInsertAfterRecordsAcrossBatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Insert(t.Context(), []record.Entry{entry("line", "first", 1, false, "")}); err != nil {
		t.Fatal(err)
	}
	entries := peerRecords(2*batchSize + 7)
	if err := s.Insert(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	if first, last := entries[0].Seq, entries[len(entries)-1].Seq; first != 2 || last != int64(len(entries)+1) {
		t.Errorf("seqs %d..%d, want 2..%d", first, last, len(entries)+1)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.CountStatus(t.Context(), record.Valid)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(entries)+1 {
		t.Errorf("%d valid records, want %d", n, len(entries)+1)
	}
}
