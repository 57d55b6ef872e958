package report

import (
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// A message goes on a cell only when its Cell names one of the source's cells on the row; else
// it is about the row.
func TestFindingPlacement(t *testing.T) {
	xlsx := &SourceHeader{Src: &spec.Source{Path: "sites.xlsx", File: "/d/sites.xlsx"}, Format: "xlsx", Sheet: "Sites",
		Columns: []string{"sap_id", "code", "description"}}
	csv := &SourceHeader{Src: &spec.Source{Path: "in/orders.csv", File: "/d/in/orders.csv"}, Format: "csv",
		Columns: []string{"order", "qty:units", "price"}}
	r := &record.Entry{Source: "s", UserObjectID: "X1", Entity: "site", Status: record.Invalid}
	tests := []struct {
		name   string
		h      *SourceHeader
		m      record.Message
		line   int
		column string
		index  int
	}{
		{"xlsx cell", xlsx, record.Message{Code: "pattern", Property: "code", Cell: "Sites!B3", Line: 3}, 3, "code", 1},
		{"xlsx cell, column from the header", xlsx, record.Message{Code: "type", Cell: "Sites!C3", Line: 3}, 3, "description", 2},
		{"xlsx cell of another sheet", xlsx, record.Message{Code: "type", Cell: "Other!B3", Line: 3}, 3, "", -1},
		{"xlsx cell of another row", xlsx, record.Message{Code: "type", Cell: "Sites!B4", Line: 3}, 3, "", -1},
		{"csv cell, a colon in the column", csv, record.Message{Code: "type", Cell: "in/orders.csv:7:qty:units", Line: 7}, 7, "qty:units", 1},
		{"csv cell of an unknown column", csv, record.Message{Code: "type", Cell: "in/orders.csv:7:nope", Line: 7}, 7, "", -1},
		{"server message without a cell", xlsx, record.Message{Code: "Core_ReferenceLookupNoMatchFound", Property: "Site->PermissionTree_Id", Line: 3}, 3, "", -1},
		{"record message, on one of its rows", csv, record.Message{Code: "conflict", Property: "customerId"}, 10, "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.h.finding(r, tt.m, tt.line)
			if f.Column != tt.column || f.Index != tt.index || f.Line != tt.line {
				t.Errorf("placed on column %q index %d line %d, want %q %d %d", f.Column, f.Index, f.Line, tt.column, tt.index, tt.line)
			}
			if f.OnCell() != (tt.index >= 0) {
				t.Errorf("OnCell %v", f.OnCell())
			}
			if f.File != tt.h.Src.Path || f.Path != tt.h.Src.File || f.Sheet != tt.h.Sheet || f.Code != tt.m.Code ||
				f.UserObjectID != "X1" || f.Status != string(record.Invalid) || f.Cell != tt.m.Cell {
				t.Errorf("finding %+v does not carry the record and message", f)
			}
		})
	}
}
