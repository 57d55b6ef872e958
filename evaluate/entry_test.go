package evaluate

import (
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
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

// Sinkable encodes the body when it is not yet, leaves Rows to the sink, and carries the typed
// row of a record to map again only when asked and only for such a record.
func TestSinkable(t *testing.T) {
	j := prepared(t, writeJob(t, 3, 0, ""))
	for _, tc := range []struct {
		name, entity string
		withEnv      bool
		wantEnv      bool
	}{
		{"a record that reads its parent, for a run", "line", true, true},
		{"a record that reads its parent, for a dry run", "line", false, false},
		{"a record that does not", "order", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := lineEntries(t, j)[tc.entity]
			if e.Body != nil {
				t.Fatal("the entry's body is encoded already: the test proves nothing")
			}
			got, err := e.Sinkable(tc.withEnv)
			if err != nil {
				t.Fatal(err)
			}
			want, err := transforms.EncodeJSON(e.Record.Body)
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Body) != string(want) || got.UserObjectID != e.Record.UserObjectID || got.Origin != e.Origin.String() ||
				got.Rows != nil || got.Seq != 0 {
				t.Errorf("Sinkable = %+v; want body %s, no rows", got, want)
			}
			var env []byte
			if tc.wantEnv {
				if env, err = e.Remap.Encode(); err != nil {
					t.Fatal(err)
				}
			}
			if string(got.Env) != string(env) {
				t.Errorf("Env = %s, want %s", got.Env, env)
			}
		})
	}
}
