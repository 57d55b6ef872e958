package evaluate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// lineEntries evaluates the job's first lines row and returns its entries by entity.
func lineEntries(t *testing.T, j *Job) map[string]Entry {
	t.Helper()
	row, err := j.Source("lines").Reader().Next(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Entry{}
	for _, e := range j.Source("lines").Evaluate(row) {
		out[e.Record.Entity] = e
	}
	return out
}

// A record whose mapping reads its parent's result keeps its typed row, and no other does;
// Remap maps it again with the parent's id (a number when it is digits), from the row kept in
// memory or the row as a store keeps it (Encode, DecodeRow) alike.
func TestRemap(t *testing.T) {
	j := prepared(t, writeJob(t, 3, 0, ""))
	entries := lineEntries(t, j)
	if entries["order"].Remap != nil || entries["line"].Remap == nil {
		t.Fatalf("Remap kept: order %v, line %v; want the line's only", entries["order"].Remap != nil, entries["line"].Remap != nil)
	}
	kept := entries["line"].Remap
	stored, err := kept.Encode()
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := DecodeRow(stored)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, serverID string
		want           any
	}{
		{"numeric id", "42", float64(42)},
		{"other id", "ab-7", "ab-7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Parent{UserObjectID: "O1", ServerID: tc.serverID, Version: 3}
			fromMemory, msgs := j.Remapper().Remap("line", kept, p)
			if msgs != nil {
				t.Fatal(msgs)
			}
			fromStore, msgs := j.Remapper().Remap("line", decoded, p)
			if msgs != nil {
				t.Fatal(msgs)
			}
			if string(fromMemory) != string(fromStore) {
				t.Errorf("from memory %s, from the store %s", fromMemory, fromStore)
			}
			var body map[string]any
			if err := json.Unmarshal(fromMemory, &body); err != nil {
				t.Fatal(err)
			}
			if body["orderId"] != tc.want || body["quantity"] != float64(2) || body["orderLineImportId"] != "1-1" {
				t.Errorf("remapped body %s; want orderId %v, quantity 2, orderLineImportId 1-1", fromMemory, tc.want)
			}
		})
	}
}

// A record that cannot be mapped again gets the mapping's messages and no body.
func TestRemapFails(t *testing.T) {
	// Without a parent's result the quantity is the row's; with one, a conversion that cannot succeed fails.
	j := prepared(t, writeJob(t, 3, 0, `'parent.id == nil ? row.qty : int("x")'`))
	line := lineEntries(t, j)["line"]
	if line.Status != record.Valid {
		t.Fatalf("line evaluated %s: %v", line.Status, line.Messages)
	}
	for _, tc := range []struct {
		name, entity string
		want         string
	}{
		{"the mapping fails", "line", "mapped again with its parent's result: "},
		{"no such entity", "nothing", "no mapping for entity nothing"},
		{"no row", "line", "its row was not kept"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := line.Remap
			if tc.name == "no row" {
				row = nil
			}
			body, msgs := j.Remapper().Remap(tc.entity, row, Parent{UserObjectID: "O1", ServerID: "42"})
			if body != nil || len(msgs) != 1 || msgs[0].Code != "mapping" || !strings.HasPrefix(msgs[0].Text, tc.want) {
				t.Errorf("Remap = %s, %v; want no body and one mapping message %q...", body, msgs, tc.want)
			}
		})
	}
}

// NewRemapper, for a process that did not evaluate the records, maps as the evaluation's does.
func TestNewRemapper(t *testing.T) {
	job := writeJob(t, 3, 0, "")
	j := prepared(t, job)
	line := lineEntries(t, j)["line"]
	r, err := NewRemapper(job)
	if err != nil {
		t.Fatal(err)
	}
	p := Parent{UserObjectID: "O1", ServerID: "7"}
	a, _ := j.Remapper().Remap("line", line.Remap, p)
	b, _ := r.Remap("line", line.Remap, p)
	if a == nil || string(a) != string(b) {
		t.Errorf("NewRemapper's %s, the job's %s", b, a)
	}
}

// Child maps from the row the evaluation kept when there is one, so a stored row that cannot
// be read does not matter then; without one (a resumed run) it reads the stored row, and a
// stored row or a mapping that fails makes the record Failed with its body unchanged.
func TestChild(t *testing.T) {
	j := prepared(t, writeJob(t, 3, 0, ""))
	line := lineEntries(t, j)["line"]
	stored, err := line.Remap.Encode()
	if err != nil {
		t.Fatal(err)
	}
	p := Parent{UserObjectID: "O1", ServerID: "42"}
	want, msgs := j.Remapper().Remap("line", line.Remap, p)
	if msgs != nil {
		t.Fatal(msgs)
	}
	for _, tc := range []struct {
		name, entity string
		row          *Row
		env          string
		status       record.Status
		message      string // the start of the only message of a Failed record
	}{
		{"the kept row, the stored one unreadable", "line", line.Remap, "not JSON", record.Pending, ""},
		{"the stored row", "line", nil, string(stored), record.Pending, ""},
		{"an unreadable stored row", "line", nil, "not JSON", record.Failed, "the stored row cannot be read: "},
		{"a mapping that fails", "nothing", line.Remap, "", record.Failed, "no mapping for entity nothing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := record.Entry{UserObjectID: "L1", Entity: tc.entity, Status: record.Pending, Body: []byte(`{"old":1}`), Env: []byte(tc.env)}
			got := j.Remapper().Child(e, tc.row, p)
			if got.Status != tc.status {
				t.Fatalf("status %s (%v), want %s", got.Status, got.Messages, tc.status)
			}
			if tc.status == record.Failed {
				if string(got.Body) != `{"old":1}` || len(got.Messages) != 1 || got.Messages[0].Code != "mapping" || !strings.HasPrefix(got.Messages[0].Text, tc.message) {
					t.Errorf("failed with body %s, %v; want the old body and one mapping message %q...", got.Body, got.Messages, tc.message)
				}
				return
			}
			if string(got.Body) != string(want) || got.Messages != nil {
				t.Errorf("body %s, %v; want %s", got.Body, got.Messages, want)
			}
		})
	}
}
