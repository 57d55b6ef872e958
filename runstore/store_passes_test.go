package runstore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/submit"
)

// The passes are the run store as package submit's scheduler takes it.
var (
	_ submit.Store = GroupPass{}
	_ submit.Store = RootsFirstPass{}
)

// passEntries renders entries as "uoid:status:body", with the text of a first message.
func passEntries(es []record.Entry) string {
	var out []string
	for _, e := range es {
		s := fmt.Sprintf("%s:%s:%s", e.UserObjectID, e.Status, e.Body)
		if len(e.Messages) > 0 {
			s += ":" + e.Messages[0].Text
		}
		if e.Env != nil {
			s += ":env"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// A group's pass gives its pending records that nothing holds back, in seq order, each with a
// body of its own; it writes marks and outcomes as the store does.
func TestGroupPass(t *testing.T) {
	s := openTestStore(t)
	rec := func(uoid string, group int, status record.Status) record.Entry {
		return record.Entry{UserObjectID: uoid, Entity: "site", GroupOrder: group, Status: status,
			Body: []byte(`{"c":"` + uoid + `"}`), Origin: "o.csv:" + uoid}
	}
	entries := []record.Entry{rec("T1", 1, record.Pending), rec("S1", 2, record.Pending), rec("S2", 2, record.Failed),
		rec("S3", 2, record.Pending), rec("T2", 1, record.Succeeded), rec("S4", 2, record.Pending)}
	if err := s.Insert(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	// S4 (seq 6) depends on T1 (seq 1), which has not succeeded: it is held back.
	if _, err := s.exec(t.Context(), `INSERT INTO deps(seq, dep, property, ref) VALUES(6, 1, 'p', 'r')`); err != nil {
		t.Fatal(err)
	}
	pass := GroupPass{Store: s, Group: 2}
	var got []record.Entry
	if err := pass.Next(t.Context(), func(e record.Entry) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := `S1:pending:{"c":"S1"} S3:pending:{"c":"S3"}`; passEntries(got) != want {
		t.Errorf("Next gave %s, want %s", passEntries(got), want)
	}
	if ready, err := pass.Ready(t.Context(), got[:1], []record.Result{{Seq: got[0].Seq, Status: record.Succeeded}}); ready != nil || err != nil {
		t.Errorf("Ready gave %v, %v; want nothing", ready, err)
	}
	if err := pass.MarkSending(t.Context(), []int64{got[0].Seq, got[1].Seq}); err != nil {
		t.Fatal(err)
	}
	if err := pass.SetOutcomes(t.Context(), []record.Result{{Seq: got[0].Seq, Status: record.Succeeded, Outcome: record.Outcome{ServerID: "9"}}}); err != nil {
		t.Fatal(err)
	}
	var after []string
	if err := s.Records(t.Context(), Selection{Groups: []int{2}}, func(e record.Entry) error {
		after = append(after, e.UserObjectID+"="+string(e.Status)+"/"+e.ServerID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(after, " "), "S1=succeeded/9 S2=failed/ S3=unknown/ S4=pending/"; got != want {
		t.Errorf("after the pass's writes: %s, want %s", got, want)
	}
}

// The roots-first pass gives the roots (no parent, or a parent that succeeded before), then on
// Ready a parent's pending children; a record with a stored row is given as Remap maps it with
// its parent's outcome (the stored one for a root), without the row, the others as stored.
func TestRootsFirstPass(t *testing.T) {
	s := openTestStore(t)
	rec := func(uoid, parent string, status record.Status, env string) record.Entry {
		e := record.Entry{UserObjectID: uoid, Entity: "line", Parent: parent, Status: status,
			Body: []byte(`{"u":"` + uoid + `"}`), Origin: "o.csv:" + uoid}
		if env != "" {
			e.Env = []byte(env)
		}
		return e
	}
	entries := []record.Entry{
		rec("O1", "", record.Pending, ""),        // 1: a root
		rec("L1", "O1", record.Pending, `"r1"`),  // 2: remapped once O1 succeeds
		rec("L2", "O1", record.Pending, ""),      // 3: as stored
		rec("O2", "", record.Succeeded, ""),      // 4: succeeded in an earlier process
		rec("L3", "O2", record.Pending, `"r3"`),  // 5: a root, remapped with O2's stored outcome
		rec("L4", "O1", record.Failed, `"r4"`),   // 6: not pending
		rec("X1", "O9", record.Pending, `"bad"`), // 7: its parent never succeeded
	}
	if err := s.Insert(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOutcomes(t.Context(), []Outcome{{Seq: 4, Status: record.Succeeded, Outcome: record.Outcome{ServerID: "40", Version: 2}}}); err != nil {
		t.Fatal(err)
	}
	remap := func(child record.Entry, parentUOID string, parent record.Outcome) record.Entry {
		if string(child.Env) == `"bad"` {
			child.Status, child.Messages = record.Failed, []record.Message{{Code: "mapping", Text: "cannot"}}
			return child
		}
		child.Body = []byte(fmt.Sprintf(`{"u":"%s","row":%s,"parent":"%s","id":"%s","v":%d}`, child.UserObjectID, child.Env, parentUOID, parent.ServerID, parent.Version))
		return child
	}
	pass := RootsFirstPass{Store: s, Remap: remap}
	var roots []record.Entry
	if err := pass.Next(t.Context(), func(e record.Entry) error { roots = append(roots, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := `O1:pending:{"u":"O1"} L3:pending:{"u":"L3","row":"r3","parent":"O2","id":"40","v":2}`; passEntries(roots) != want {
		t.Errorf("Next gave %s\nwant %s", passEntries(roots), want)
	}
	children, err := pass.Ready(t.Context(), roots[:1], []record.Result{{Seq: 1, Status: record.Succeeded, Outcome: record.Outcome{ServerID: "10", Version: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `L1:pending:{"u":"L1","row":"r1","parent":"O1","id":"10","v":1} L2:pending:{"u":"L2"}`; passEntries(children) != want {
		t.Errorf("Ready gave %s\nwant %s", passEntries(children), want)
	}
	failed, err := pass.Ready(t.Context(), []record.Entry{{UserObjectID: "O9"}}, []record.Result{{Status: record.Succeeded}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `X1:failed:{"u":"X1"}:cannot`; passEntries(failed) != want {
		t.Errorf("Ready of a child whose mapping fails gave %s, want %s", passEntries(failed), want)
	}
	both, err := pass.Ready(t.Context(), []record.Entry{{UserObjectID: "O9"}, roots[0]},
		[]record.Result{{Seq: 9, Status: record.Succeeded}, {Seq: 1, Status: record.Succeeded, Outcome: record.Outcome{ServerID: "11", Version: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `L1:pending:{"u":"L1","row":"r1","parent":"O1","id":"11","v":3} L2:pending:{"u":"L2"} X1:failed:{"u":"X1"}:cannot`; passEntries(both) != want {
		t.Errorf("Ready of two parents at once gave %s\nwant %s", passEntries(both), want)
	}
}
