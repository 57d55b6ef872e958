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

func TestResolveParentsSkipsDescendantsOfInvalidRecords(t *testing.T) {
	s := openTestStore(t)
	bad := entry("order", "O1", 2, true, "")
	bad.Status, bad.Messages = record.Invalid, []record.Message{{Code: "format", Text: "not a date"}}
	if err := s.Insert(t.Context(), []record.Entry{
		bad,
		entry("line", "O1/1", 2, false, "O1"),
		entry("item", "O1/1/a", 2, false, "O1/1"),
		entry("order", "O2", 3, true, ""),
		entry("line", "O2/1", 3, false, "O2"),
		entry("line", "O9/1", 4, false, "O9"),
	}); err != nil {
		t.Fatal(err)
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
