package runstore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// entry builds a valid record of row line of orders.csv.
func entry(entity, uoid string, line int, distinct bool, parent string, body ...transforms.Member) record.Entry {
	b, err := transforms.EncodeJSON(transforms.Object(body))
	if err != nil {
		panic(err)
	}
	return record.Entry{UserObjectID: uoid, Entity: entity, Kind: "onixwork", Endpoint: "/v1/" + entity,
		Distinct: distinct, Parent: parent, Body: b, Status: record.Valid, Source: "lines",
		Origin: fmt.Sprintf("orders.csv:%d", line), OriginLine: line}
}

// statuses returns "uoid@line=status: last message" for every stored record, in order, with
// "+line" for each further row of a record built from several rows.
func statuses(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.Records(t.Context(), Selection{}, func(r record.Entry) error {
		line := r.UserObjectID + "@" + strings.TrimPrefix(r.Origin, "orders.csv:")
		for _, more := range r.Rows[1:] {
			line += "+" + strings.TrimPrefix(more, "orders.csv:")
		}
		line += "=" + string(r.Status)
		if len(r.Messages) > 0 {
			line += ": " + r.Messages[len(r.Messages)-1].Text
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStoreCrossRowRules(t *testing.T) {
	amount := func(v any) transforms.Member { return transforms.Member{Key: "amount", Value: v} }
	tests := []struct {
		name    string
		entries []record.Entry
		want    []string
	}{
		{
			name:    "unique userObjectIds stay valid",
			entries: []record.Entry{entry("line", "A", 2, false, ""), entry("line", "B", 3, false, "")},
			want:    []string{"A@2=valid", "B@3=valid"},
		},
		{
			name:    "a duplicate userObjectId makes every record with it invalid",
			entries: []record.Entry{entry("line", "A", 2, false, ""), entry("line", "B", 3, false, ""), entry("line", "A", 4, false, "")},
			want: []string{
				`A@2=invalid: userObjectId "A" is also produced by orders.csv:4`,
				"B@3=valid",
				`A@4=invalid: userObjectId "A" is also produced by orders.csv:2`,
			},
		},
		{
			name: "distinct rows that agree build one record",
			entries: []record.Entry{entry("order", "O1", 2, true, "", amount(1)), entry("order", "O1", 3, true, "", amount(1)),
				entry("order", "O1", 4, true, "", amount(1))},
			want: []string{"O1@2+3+4=valid"},
		},
		{
			name:    "distinct rows that disagree make the record invalid, naming field and rows",
			entries: []record.Entry{entry("order", "O1", 2, true, "", amount(1)), entry("order", "O1", 3, true, "", amount(2))},
			want:    []string{"O1@2+3=invalid: rows disagree on amount: orders.csv:2 has 1, orders.csv:3 has 2"},
		},
		{
			name: "rows of one key apart from each other build one record",
			entries: []record.Entry{entry("order", "O1", 2, true, "", amount(1)), entry("order", "O2", 3, true, "", amount(1)),
				entry("order", "O1", 4, true, "", amount(1)), entry("order", "O1", 5, true, "", amount(1)),
				entry("order", "O2", 6, true, "", amount(1))},
			want: []string{"O1@2+4+5=valid", "O2@3+6=valid"},
		},
		{
			name: "later rows that agree with each other but not with the first each get a conflict",
			entries: []record.Entry{entry("order", "O1", 2, true, "", amount(1)), entry("order", "O2", 3, true, "", amount(1)),
				entry("order", "O1", 4, true, "", amount(2)), entry("order", "O1", 5, true, "", amount(2))},
			want: []string{"O1@2+4+5=invalid: rows disagree on amount: orders.csv:2 has 1, orders.csv:5 has 2", "O2@3=valid"},
		},
		{
			name: "a later row's own problems make the record invalid",
			entries: []record.Entry{entry("order", "O1", 2, true, "", amount(1)), func() record.Entry {
				e := entry("order", "O1", 3, true, "", amount(1))
				e.Status, e.Messages = record.Invalid, []record.Message{{Code: "type", Text: "not a number", Line: 3}}
				return e
			}()},
			want: []string{"O1@2+3=invalid: not a number"},
		},
		{
			name:    "the same key from two different entities is a duplicate",
			entries: []record.Entry{entry("order", "X", 2, true, ""), entry("line", "X", 2, false, "")},
			want: []string{`X@2=invalid: userObjectId "X" is also produced by orders.csv:2`,
				`X@2=invalid: userObjectId "X" is also produced by orders.csv:2`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			for _, e := range tt.entries {
				if err := s.Add(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.ResolveKeys(t.Context()); err != nil {
				t.Fatal(err)
			}
			got := statuses(t, s)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestResolveParentsSkipsDescendantsOfInvalidRecords(t *testing.T) {
	s := openTestStore(t)
	bad := entry("order", "O1", 2, true, "")
	bad.Status, bad.Messages = record.Invalid, []record.Message{{Code: "format", Text: "not a date"}}
	for _, e := range []record.Entry{
		bad,
		entry("line", "O1/1", 2, false, "O1"),
		entry("item", "O1/1/a", 2, false, "O1/1"),
		entry("order", "O2", 3, true, ""),
		entry("line", "O2/1", 3, false, "O2"),
		entry("line", "O9/1", 4, false, "O9"),
	} {
		if err := s.Add(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ResolveParents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"O1@2=invalid: not a date",
		`O1/1@2=skipped: parent "O1" is invalid`,
		`O1/1/a@2=skipped: parent "O1/1" is skipped`,
		"O2@3=valid",
		"O2/1@3=valid",
		`O9/1@4=invalid: parent "O9" is not produced by any row`,
	}
	got := statuses(t, s)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n != 3 {
		t.Errorf("ResolveParents changed %d records, want 3", n)
	}
}

func TestRecordsNameEveryRowOfAConflict(t *testing.T) {
	s := openTestStore(t)
	amount := func(v any) transforms.Member { return transforms.Member{Key: "amount", Value: v} }
	for _, e := range []record.Entry{entry("order", "O1", 2, true, "", amount(1)), entry("order", "O1", 3, true, "", amount(1)),
		entry("order", "O1", 5, true, "", amount(7)), entry("order", "O2", 6, true, "", amount(1))} {
		if err := s.Add(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ResolveKeys(t.Context()); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.Records(t.Context(), Selection{}, func(r record.Entry) error {
		line := fmt.Sprintf("%s %s %d", r.UserObjectID, r.Status, r.OriginLine)
		for _, f := range r.Further {
			line += fmt.Sprintf(" %s:%d", f.Source, f.Line)
		}
		for _, m := range r.Messages {
			line += " " + m.Code
		}
		got = append(got, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The fix files name the rows of an invalid record from its OriginLine and Further rows.
	want := []string{"O1 invalid 2 lines:3 lines:5 conflict", "O2 valid 6"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A run store of another layout (an older bulkload's) is refused with a message saying so, not
// opened and misread; a store of this layout opens again.
func TestStoreOfAnotherLayoutIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(t.Context(), path); err != nil {
		t.Fatalf("a store of this layout: %v", err)
	}
	if _, err := s.db.Exec(`PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), path)
	if err == nil || !strings.Contains(err.Error(), "written by another version of bulkload (layout 1; this one reads layout 2)") {
		t.Errorf("Open of a layout 1 store: %v", err)
	}
}
