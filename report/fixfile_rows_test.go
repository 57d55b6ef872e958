package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// The rows to fix are every row of an invalid or failed record, each with the messages about its
// own line or about the record as a whole, each once; a row's own record's messages come first.
func TestFixFilesRows(t *testing.T) {
	conflict := record.Message{Code: "conflict", Text: "rows disagree"}
	onLine := func(line int) record.Message {
		return record.Message{Code: "type", Line: line, Text: fmt.Sprint("bad ", line)}
	}
	entries := []record.Entry{
		{UserObjectID: "O1", Source: "lines", OriginLine: 2, Status: record.Invalid, Messages: []record.Message{conflict, onLine(2)},
			Further: []record.Row{{Source: "lines", Line: 3}, {Source: "lines", Line: 5}}},
		{UserObjectID: "O2", Source: "lines", OriginLine: 6, Status: record.Valid},
		{UserObjectID: "P3", Source: "lines", OriginLine: 3, Status: record.Failed, Messages: []record.Message{onLine(3)}},
		{UserObjectID: "O4", Source: "lines", OriginLine: 7, Status: record.Skipped, Messages: []record.Message{onLine(7)}},
		{UserObjectID: "O5", Source: "lines", OriginLine: 8, Status: record.Invalid, Messages: []record.Message{onLine(8), onLine(8)}},
	}
	w := NewFixFiles(t.Context(), t.TempDir(), nil, nil)
	for i := range entries {
		if err := w.Write(&entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for ref, ms := range w.rows()["lines"] {
		var codes []string
		for _, m := range ms {
			codes = append(codes, m.Code+"("+m.Text+")")
		}
		got = append(got, fmt.Sprintf("%d: %s", ref.Line, strings.Join(codes, " ")))
	}
	slices.Sort(got)
	want := []string{"2: conflict(rows disagree) type(bad 2)", "3: type(bad 3) conflict(rows disagree)",
		"5: conflict(rows disagree)", "8: type(bad 8)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows to fix\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
