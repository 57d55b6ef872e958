package onkey

import (
	"fmt"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// TestUnanswered: what becomes of a record whose outcome a run did not learn, by its action and
// what the exists check found of it.
func TestUnanswered(t *testing.T) {
	check := ExistsCheck{CheckType: "Code", EntityType: "Site", UserObjectID: "S1", Properties: map[string]any{"Code": "CPT"}}
	found := map[string]Lookup{"S1": {Check: check, Found: true, ID: "10", Version: 3}}
	gone := map[string]Lookup{"S1": {Check: check}}
	failed := map[string]Lookup{"S1": {Check: check, Problem: "HTTP 200, but the answer is not a list"}}
	answer := record.Message{Code: "http_500", Text: "the import answered HTTP 500"}
	earlier := record.Message{Code: "unanswered", Text: "an earlier check's note"}
	cases := []struct {
		name, action string
		found        map[string]Lookup
		want         string // status serverID version [code: text]...
	}{
		{"a Merge is sent again, unchecked", "Merge", nil, "pending  0"},
		{"an Update is sent again, unchecked", "Update", found, "pending  0"},
		{"a Create found succeeded", "Create", found,
			"succeeded 10 3 [reconciled: its outcome was not known; On Key has Site with Code CPT, so it was created then]"},
		{"an Insert found succeeded", "Insert", found,
			"succeeded 10 3 [reconciled: its outcome was not known; On Key has Site with Code CPT, so it was created then]"},
		{"a Create found absent is sent again", "Create", gone,
			"pending  0 [not_applied: its outcome was not known, and On Key has no Site with Code CPT: it was not applied and is sent again]"},
		{"a Create with nothing to look it up by stays unknown", "Create", map[string]Lookup{"S2": found["S1"]},
			"unknown  0 [unanswered: sent, but its outcome is not known, and it has no Code to look it up by: check whether On Key has S1 before sending it again]"},
		{"a Create whose check settles nothing stays unknown, saying why", "Create", failed,
			"unknown  0 [http_500: the import answered HTTP 500] [unanswered: sent, but its outcome is not known, and the exists check by Code CPT " +
				"settles nothing (HTTP 200, but the answer is not a list): it is not sent again; check whether On Key has S1 (bulkload reconcile) before sending it again]"},
		{"a Delete gone succeeded", "Delete", gone,
			"succeeded  0 [reconciled: its outcome was not known; On Key has no Site with Code CPT, so it was deleted then (or was already gone)]"},
		{"a Delete still there is sent again", "delete", found,
			"pending  0 [not_applied: its outcome was not known, and On Key still has Site with Code CPT: it is sent again]"},
		{"a Delete with nothing to look it up by is sent again", "Delete", nil, "pending  0"},
		{"a Delete whose check settles nothing is sent again", "Delete", failed, "pending  0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := record.Entry{Seq: 7, UserObjectID: "S1", Entity: "site", Action: c.action, Status: record.Unknown}
			res := Unanswered(e, c.found, []record.Message{answer, earlier})
			got := fmt.Sprintf("%s %s %d", res.Status, res.ServerID, res.Version)
			for _, m := range res.Messages {
				got += fmt.Sprintf(" [%s: %s]", m.Code, m.Text)
			}
			if got != c.want || res.Seq != 7 {
				t.Errorf("got (seq %d)\n%s\nwant\n%s", res.Seq, got, c.want)
			}
		})
	}
}
