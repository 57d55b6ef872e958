package runstore

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// The sink finds any record again for the rules (across the sparse offsets), leaves out the rows
// that joined the record before them, and streams the records amended: a duplicate userObjectId
// makes both records invalid, a distinct record's rows are its Rows and Further. Close leaves
// nothing in the spill's directory.
func TestSinkLookupAndAmendments(t *testing.T) {
	dir := t.TempDir()
	sink, err := NewSink(Options{SpillDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	amount := func(v any) transforms.Member { return transforms.Member{Key: "amount", Value: v} }
	n := 3*offsetEvery + 5
	for i := range n {
		e := entry("line", fmt.Sprintf("L%d", i), i+2, false, "", amount(i))
		if err := sink.Add(&e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i+1) {
			t.Fatalf("record %d spilled as seq %d", i+1, e.Seq)
		}
	}
	extra := []record.Entry{entry("line", "L7", n+2, false, "", amount(7)), // a duplicate of row 9's record
		entry("order", "O1", n+3, true, "", amount(1)), entry("order", "O1", n+4, true, "", amount(1))} // joins
	for i := range extra {
		if err := sink.Add(&extra[i]); err != nil {
			t.Fatal(err)
		}
	}
	if extra[2].Seq != 0 {
		t.Errorf("the row that joined its record was given seq %d", extra[2].Seq)
	}
	for seq := int64(1); seq <= sink.n; seq++ {
		d, err := sink.lookup(seq)
		want := fmt.Sprintf("L%d", seq-1)
		if seq == int64(n)+1 {
			want = "L7"
		} else if seq == int64(n)+2 {
			want = "O1"
		}
		if err != nil || d.UserObjectID != want {
			t.Fatalf("lookup(%d) = %q, %v; want %q", seq, d.UserObjectID, err, want)
		}
	}
	if _, err := sink.lookup(sink.n + 1); err == nil {
		t.Error("a record never added was found")
	}
	each, _, err := sink.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = each(func(e *record.Entry) error {
		if e.Status != record.Valid || len(e.Rows) > 1 {
			got = append(got, fmt.Sprintf("%d %s %s %s %v", e.Seq, e.UserObjectID, e.Status, strings.Join(e.Rows, "+"), e.Further))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"8 L7 invalid orders.csv:9 []",
		fmt.Sprintf("%d L7 invalid orders.csv:%d []", n+1, n+2),
		fmt.Sprintf("%d O1 valid orders.csv:%d+orders.csv:%d [{lines %d  orders.csv:%d}]", n+2, n+3, n+4, n+4, n+4),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("amended\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if err := sink.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left in the spill's directory: %v", entries)
	}
}
