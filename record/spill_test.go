package record

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// Entries come back from a spill as they went in (but for Rows, Further and the outcome), one by
// its offset or all in order; the file is gone once closed.
func TestSpillRoundTrip(t *testing.T) {
	entries := []Entry{
		{Seq: 1, UserObjectID: "SO-1/1", Entity: "line", Kind: "onkey", EntityType: "OrderLine", Action: "Create",
			GroupOrder: 2, Distinct: true, Status: Valid, Body: json.RawMessage(`{"a":1}`), Source: "lines", Origin: "lines.csv:2", OriginLine: 2},
		{Seq: 2, UserObjectID: "", Entity: "line", Kind: "onkey", EntityType: "OrderLine", Action: "Create", GroupOrder: 2,
			Status: Invalid, Source: "lines", Origin: "lines.csv:3", OriginLine: 3, Messages: []Message{
				{Code: "type", Property: "qty", Cell: "lines.csv:3:qty", Value: "x", Line: 3, Text: "not a number"},
				{Code: "Core_X", Field: "Site->Code", Severity: "error", Text: "ü €"}}},
		{Seq: 3, UserObjectID: "O1", Entity: "order", Kind: "onixwork", Endpoint: "/v1/orders", Parent: "P", Status: Skipped,
			Body: json.RawMessage(`{}`), Env: json.RawMessage(`{"row":{"a":1}}`), Source: "orders", Origin: "o.json:1/Orderlines/2", OriginLine: 1, OriginPath: "/Orderlines/2"},
	}
	s, err := NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var offs []int64
	for i := range entries {
		off, err := s.Append(&entries[i])
		if err != nil {
			t.Fatal(err)
		}
		offs = append(offs, off)
	}
	for i := len(entries) - 1; i >= 0; i-- {
		got, err := s.At(offs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, entries[i]) {
			t.Errorf("At(%d) = %+v, want %+v", offs[i], got, entries[i])
		}
	}
	for i := 0; i+1 < len(offs); i++ {
		if next, err := s.Skip(offs[i]); err != nil || next != offs[i+1] {
			t.Errorf("Skip(%d) = %d, %v; want %d", offs[i], next, err, offs[i+1])
		}
	}
	var all []Entry
	if err := s.Each(func(e *Entry) error { all = append(all, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all, entries) {
		t.Errorf("Each gave\n%+v\nwant\n%+v", all, entries)
	}
	name := s.f.Name()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("%s is left after Close: %v", name, err)
	}
}
