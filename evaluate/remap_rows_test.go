package evaluate

import (
	"testing"

	"github.com/bulkload/bulkload/transforms"
)

// Rows keeps the first row of each record that has one, by entity and userObjectId.
func TestRowsKeep(t *testing.T) {
	first, second, other := &Row{}, &Row{}, &Row{}
	rs := Rows{}
	for _, e := range []Entry{
		{Record: transforms.Record{Entity: "line", UserObjectID: "L1"}, Remap: first},
		{Record: transforms.Record{Entity: "line", UserObjectID: "L1"}, Remap: second},
		{Record: transforms.Record{Entity: "item", UserObjectID: "L1"}, Remap: other},
		{Record: transforms.Record{Entity: "line", UserObjectID: "L2"}},
	} {
		rs.Keep(e)
	}
	if rs.Row("line", "L1") != first || rs.Row("item", "L1") != other || rs.Row("line", "L2") != nil || len(rs) != 2 {
		t.Errorf("kept %v", rs)
	}
	if (Rows)(nil).Row("line", "L1") != nil {
		t.Error("a nil Rows gave a row")
	}
}
