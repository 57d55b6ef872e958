package transforms

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

func TestRowColumn(t *testing.T) {
	tests := []struct {
		src    string
		column string // "" when src is not a plain read of one column
	}{
		{"row.code", "code"},
		{"row?.code", ""}, // a chain: left to the program
		{`row["Order no"]`, "Order no"},
		{"row.code.x", ""},
		{"row[row.key]", ""},
		{"row.code ?? 1", ""},
		{"trim(row.code)", ""},
		{"outer.code", ""},
		{"parent.code", ""},
		{"row", ""},
		{"row.code()", ""},
		{"row[0]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			col, ok := rowColumn(tt.src)
			if ok != (tt.column != "") || col != tt.column {
				t.Errorf("rowColumn(%q) = %q, %v; want %q", tt.src, col, ok, tt.column)
			}
		})
	}
}

// withoutColumnReads is m with every column read run as the program it was compiled from.
func withoutColumnReads(m *Mapping) *Mapping {
	c := *m
	var strip func(n *node) *node
	strip = func(n *node) *node {
		if n == nil {
			return nil
		}
		cp := *n
		cp.column, cp.isColumn = "", false
		cp.fields = append([]fieldNode(nil), n.fields...)
		for i := range cp.fields {
			cp.fields[i].node = strip(cp.fields[i].node)
		}
		cp.items = append([]*node(nil), n.items...)
		for i := range cp.items {
			cp.items[i] = strip(cp.items[i])
		}
		return &cp
	}
	c.when, c.uoid, c.parentUOID, c.id, c.props = strip(m.when), strip(m.uoid), strip(m.parentUOID), strip(m.id), strip(m.props)
	return &c
}

// TestColumnReadsAsPrograms: a mapping gives the same record and the same errors whether its
// column reads look the value up or run their programs, whatever the row holds.
func TestColumnReadsAsPrograms(t *testing.T) {
	job := &spec.Job{File: "job.yaml", Target: spec.Target{Kind: spec.OnKey}, Sources: []spec.Source{{Name: "s"}},
		Entities: []spec.Entity{{Name: "e", Source: "s", EntityType: "E", Action: "Merge", GroupOrder: 1,
			UserObjectID: ex("row.id"), ID: ex("code(row?.code)"),
			Properties: obj("a", ex("row.a"), "b", ex(`row["b c"]`), "c", ex("row?.c"), "list", ex("[row.a, row.c]"),
				"obj", ex(`{"x": row.a}`))}}}
	m := mustCompile(t, job).ForSource("s")[0]
	if !m.uoid.isColumn || !m.props.fields[0].node.isColumn || !m.props.fields[1].node.isColumn || m.props.fields[3].node.isColumn {
		t.Fatal("column reads not recognised")
	}
	slow := withoutColumnReads(m)
	values := []any{nil, "", "x", int64(3), 2.5, true, json.Number("7"), map[string]any{"k": []any{int64(1)}}, []any{"a", nil},
		float64(1e300), func() {}, make(chan int)}
	for i, a := range values {
		for j, id := range []any{"K-1", nil, int64(12), 1.5, ""} {
			row := map[string]any{"a": a, "b c": values[(i+j)%len(values)], "code": "C", "id": id}
			if j%2 == 1 {
				delete(row, "a")
				row["c"] = a
			}
			got, gotOK, gotErr := m.Map(Env{Row: row})
			want, wantOK, wantErr := slow.Map(Env{Row: row})
			if gotOK != wantOK || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("row %v:\n got %#v, %v, %v\nwant %#v, %v, %v", row, got, gotOK, gotErr, want, wantOK, wantErr)
			}
		}
	}
}
