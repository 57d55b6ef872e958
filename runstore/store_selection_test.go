package runstore

import (
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// Each field of a Selection narrows what Records and Bodies give, and Order orders it; records
// an order ranks alike come in seq order.
func TestSelection(t *testing.T) {
	s := openTestStore(t)
	rec := func(uoid, entity string, group int, parent string, status record.Status, msgs ...record.Message) record.Entry {
		return record.Entry{UserObjectID: uoid, Entity: entity, GroupOrder: group, Parent: parent, Status: status,
			Body: []byte(`{}`), Origin: "o.csv:" + uoid, Messages: msgs}
	}
	note := record.Message{Code: "x", Text: "a note"}
	entries := []record.Entry{
		rec("L1", "line", 2, "O1", record.Pending),           // 1
		rec("O1", "order", 1, "", record.Succeeded),          // 2
		rec("I1", "item", 3, "L1", record.Pending),           // 3
		rec("O2", "order", 1, "", record.Pending, note),      // 4
		rec("L2", "line", 2, "O2", record.Pending),           // 5
		rec("U1", "order", 1, "", record.Unknown),            // 6: reads with the unanswered message
		rec("F1", "order", 2, "", record.Failed, note, note), // 7
	}
	if err := s.Insert(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	// F1 (group 2) depends on O2, which has not succeeded; L2 on O1, which has.
	for _, d := range [][2]int64{{7, 4}, {5, 2}} {
		if _, err := s.exec(t.Context(), `INSERT INTO deps(seq, dep, property, ref) VALUES(?, ?, 'p', 'r')`, d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		sel  Selection
		want string
	}{
		{"everything, in seq order", Selection{}, "L1 O1 I1 O2 L2 U1 F1"},
		{"one status", Only(record.Pending), "L1 I1 O2 L2"},
		{"several statuses", Selection{Statuses: []record.Status{record.Succeeded, record.Unknown}}, "O1 U1"},
		{"groups", Selection{Groups: []int{2, 3}}, "L1 I1 L2 F1"},
		{"a parent", Selection{Parents: []string{"O2"}}, "L2"},
		{"several parents", Selection{Parents: []string{"L1", "O2", "X9"}}, "I1 L2"},
		{"no parent or a parent that succeeded", Selection{Statuses: []record.Status{record.Pending}, ParentSucceeded: true}, "L1 O2"},
		{"not held back", Selection{Groups: []int{2}, NotHeld: true}, "L1 L2"},
		{"seqs", Selection{Seqs: []int64{6, 2, 99}}, "O1 U1"},
		{"no seqs", Selection{Seqs: []int64{}}, ""},
		{"holding messages", Selection{HasMessages: true}, "O2 F1"},
		{"reading with messages", Selection{Noted: true}, "O2 U1 F1"},
		{"all fields together", Selection{Statuses: []record.Status{record.Pending}, Groups: []int{1, 2}, Noted: true}, "O2"},
		{"by group", Selection{Order: ByGroup}, "O1 O2 U1 L1 L2 F1 I1"},
		{"by depth", Selection{Order: ByDepth(map[string]int{"order": 0, "line": 1, "item": 2})}, "O1 O2 U1 F1 L1 L2 I1"},
		{"by depth, an entity not named at 0", Selection{Order: ByDepth(map[string]int{"line": 1, "item": 2})}, "O1 O2 U1 F1 L1 L2 I1"},
		{"selected and ordered", Selection{Statuses: []record.Status{record.Pending}, Order: ByGroup}, "O2 L1 L2 I1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var records, bodies []string
			if err := s.Records(t.Context(), tc.sel, func(r record.Entry) error {
				records = append(records, r.UserObjectID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if err := s.Bodies(t.Context(), tc.sel, func(r Sendable) error {
				bodies = append(bodies, r.UserObjectID)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(records, " "); got != tc.want {
				t.Errorf("Records: %q, want %q", got, tc.want)
			}
			if got := strings.Join(bodies, " "); got != tc.want {
				t.Errorf("Bodies: %q, want %q", got, tc.want)
			}
		})
	}
}
