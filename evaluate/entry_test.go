package evaluate

import (
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
)

// Stored carries what the store and the reports need of an entry.
func TestStored(t *testing.T) {
	j := prepared(t, writeJob(t, 7, 0, ""))
	src := j.Source("lines")
	var line Entry
	for range 7 { // row 7's quantity is 0
		row, err := src.Reader().Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		line = src.Evaluate(row)[1]
	}
	if err := line.Encode(); err != nil {
		t.Fatal(err)
	}
	got := line.Stored()
	if got.UserObjectID != "O2/7" || got.Entity != "line" || got.Kind != "onixwork" || got.Endpoint != "/v1/order-lines" ||
		got.Parent != "O2" || got.Distinct || got.Status != record.Invalid || got.Source != "lines" ||
		got.Origin != line.Origin.String() || got.OriginLine != 8 || len(got.Messages) != 1 || got.Messages[0].Code != "minimum" ||
		string(got.Body) != string(line.Body) || len(got.Rows) != 1 || got.Rows[0] != got.Origin {
		t.Errorf("Stored = %+v", got)
	}
	order := src.Evaluate(readers.Row{Origin: readers.Origin{File: "lines.csv", Line: 9}, Columns: []string{"order", "line", "qty"},
		Values: []any{"3", "8", "2"}})[0]
	if s := order.Stored(); !s.Distinct || s.Entity != "order" || s.Status != record.Valid {
		t.Errorf("order Stored = %+v, want a valid distinct order", s)
	}
}
