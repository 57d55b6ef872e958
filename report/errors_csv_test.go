package report

import (
	"bytes"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// TestErrorsCSVLines: errors.csv has a BOM, a header, one line per message, the record's rows in
// the cell column of a message about no cell, and formulas neutralised.
func TestErrorsCSVLines(t *testing.T) {
	var b bytes.Buffer
	w, err := newErrorsWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	recs := []record.Entry{
		{UserObjectID: "S1", Entity: "site", Status: record.Valid},
		{UserObjectID: "S2", Entity: "site", Status: record.Failed, Rows: []string{"sites.xlsx Sites!7"}, Messages: []record.Message{
			{Code: "Core_ReferenceLookupNoMatchFound", Property: "permission_tree", Field: "Site->PermissionTree_Id",
				Cell: "Sites!D7", Value: "A99", Line: 7, Text: "no match"},
			{Code: "type", Property: "qty", Cell: "Sites!E7", Value: "=HYPERLINK(1)", Line: 7, Text: "not a number"},
		}},
		{UserObjectID: "S3", Entity: "site", Status: record.Invalid, Rows: []string{"sites.xlsx Sites!8", "sites.xlsx Sites!9"}, Messages: []record.Message{
			{Code: "conflict", Property: "code", Value: "X", Text: "rows disagree on code"},
		}},
	}
	for i := range recs {
		if err := w.write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffrecord,entity,status,cell,column,value,code,message\n" +
		"S2,site,failed,Sites!D7,permission_tree,A99,Core_ReferenceLookupNoMatchFound,no match\n" +
		"S2,site,failed,Sites!E7,qty,'=HYPERLINK(1),type,not a number\n" +
		`S3,site,invalid,"sites.xlsx Sites!8, sites.xlsx Sites!9",code,X,conflict,rows disagree on code` + "\n"
	if got := b.String(); got != want {
		t.Errorf("errors.csv =\n%s\nwant\n%s", got, want)
	}
}
