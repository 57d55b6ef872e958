package maptest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// TestCrossRowRulesOfTestRows: the rules a dry run applies to its store, applied to a test's rows.
func TestCrossRowRulesOfTestRows(t *testing.T) {
	type in struct {
		entity, uoid, parent string
		status               record.Status
		body                 string
		distinct             bool
	}
	job := &spec.Job{}
	entry := func(line int, x in) evaluate.Entry {
		e := evaluate.Entry{Record: transforms.Record{Entity: x.entity, UserObjectID: x.uoid, Parent: x.parent, Distinct: x.distinct, Kind: "onixwork"},
			Body: []byte(x.body), Status: x.status, Origin: readers.Origin{File: "o.csv", Line: line}}
		if x.status == record.Invalid { // as evaluating a row makes it: invalid, saying why
			e.Messages = []record.Message{{Code: "required", Property: "qty", Text: "missing", Line: line}}
		}
		return e
	}
	cases := []struct {
		name string
		in   []in
		want []string // entity uoid status [codes...]
	}{
		{"rows of a distinct record that agree build one", []in{
			{"order", "O1", "", record.Valid, `{"a":1}`, true}, {"order", "O1", "", record.Valid, `{"a":1}`, true}},
			[]string{"order O1 valid"}},
		{"rows of a distinct record that disagree make it invalid", []in{
			{"order", "O1", "", record.Valid, `{"a":1}`, true}, {"order", "O1", "", record.Valid, `{"a":2}`, true}},
			[]string{"order O1 invalid conflict"}},
		{"an invalid row of a distinct record makes it invalid", []in{
			{"order", "O1", "", record.Valid, `{"a":1}`, true}, {"order", "O1", "", record.Invalid, `{"a":1}`, true}},
			[]string{"order O1 invalid required"}},
		{"one userObjectId from two rows", []in{
			{"line", "L1", "", record.Valid, `{}`, false}, {"line", "L1", "", record.Valid, `{}`, false}},
			[]string{"line L1 invalid duplicate", "line L1 invalid duplicate"}},
		{"one userObjectId from two entities", []in{
			{"order", "X", "", record.Valid, `{}`, true}, {"line", "X", "", record.Valid, `{}`, false}},
			[]string{"order X invalid duplicate", "line X invalid duplicate"}},
		{"a parent no row produced", []in{{"line", "L1", "O9", record.Valid, `{}`, false}},
			[]string{"line L1 invalid parent"}},
		{"an invalid parent skips its children and theirs", []in{
			{"order", "O1", "", record.Invalid, `{}`, false}, {"item", "I1", "L1", record.Valid, `{}`, false}, {"line", "L1", "O1", record.Valid, `{}`, false}},
			[]string{"order O1 invalid required", "item I1 skipped parent", "line L1 skipped parent"}},
		{"an invalid child keeps its own status", []in{
			{"order", "O1", "", record.Invalid, `{}`, false}, {"line", "L1", "O1", record.Invalid, `{}`, false}},
			[]string{"order O1 invalid required", "line L1 invalid required"}},
		{"an order whose lines among the rows are all invalid is not skipped: they are not all of its lines", []in{
			{"order", "O1", "", record.Valid, `{}`, true}, {"line", "L1", "O1", record.Invalid, `{}`, false}, {"line", "L2", "O1", record.Invalid, `{}`, false}},
			[]string{"order O1 valid", "line L1 invalid required", "line L2 invalid required"}},
		{"a userObjectId from three rows", []in{
			{"line", "L1", "", record.Valid, `{}`, false}, {"line", "L1", "", record.Valid, `{}`, false}, {"line", "L1", "", record.Valid, `{}`, false}},
			[]string{"line L1 invalid duplicate duplicate", "line L1 invalid duplicate duplicate", "line L1 invalid duplicate"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var entries []evaluate.Entry
			for i, x := range c.in {
				entries = append(entries, entry(i+2, x))
			}
			var got []string
			recs, err := crossRowRules(entries, job)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				s := fmt.Sprintf("%s %s %s", r.Entity, r.UserObjectID, r.Status)
				for _, m := range r.Messages {
					s += " " + m.Code
				}
				got = append(got, s)
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
