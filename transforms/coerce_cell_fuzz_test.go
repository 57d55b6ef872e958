package transforms

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// FuzzCellKinds types an arbitrary value as an XLSX cell of each kind (number, date, date-time,
// boolean, formula error) in a column of each type, in both date systems. Nothing panics; each
// cell is exactly one of typed or one CellError naming it; a formula error is an error in every
// column; a number is never typed as a date; a date cell typed in a date column is an ISO date,
// in a date-time column an RFC 3339 time of the years 0000 to 9999, and in a string column
// either of them.
func FuzzCellKinds(f *testing.F) {
	for _, s := range []string{"45293", "45293.5", "60", "0", "-1", "2958465.9999", "2958466", "1e300", "NaN", "Inf",
		"2024-01-02", "2024-01-02T10:30:00Z", "TRUE", "#DIV/0!", "0.1", "1E-3", "x"} {
		for kind := range uint8(6) {
			f.Add(s, kind, kind%2 == 0)
		}
	}
	schemaPath := filepath.Join(f.TempDir(), "row.schema.json")
	if err := os.WriteFile(schemaPath, []byte(typingSchema), 0o644); err != nil {
		f.Fatal(err)
	}
	schema, err := schemas.LoadRow(schemaPath)
	if err != nil {
		f.Fatal(err)
	}
	typer, err := NewTyper(&spec.Source{Name: "src", File: "src.xlsx", Format: "xlsx", Typing: dot}, schema)
	if err != nil {
		f.Fatal(err)
	}
	columns := []string{"int", "num", "flag", "day", "at", "text", "obj", "list", "any", "nint"}
	f.Fuzz(func(t *testing.T, s string, kindNo uint8, date1904 bool) {
		kind := readers.CellKind(kindNo % 6)
		dates := readers.Excel1900
		if date1904 {
			dates = readers.Excel1904
		}
		values := make([]any, len(columns))
		kinds := make([]readers.CellKind, len(columns))
		for i := range values {
			values[i], kinds[i] = s, kind
		}
		got, errs := typer.Type(readers.Row{Columns: columns, Values: values, Kinds: kinds, Dates: dates})
		failed := map[string]bool{}
		for _, e := range errs {
			isDate := kind == readers.KindDate || kind == readers.KindDateTime
			if e.Msg == "" || (e.Raw != s && !isDate) || failed[e.Column] || e.Column != columns[e.Index] {
				t.Fatalf("bad CellError %#v", e)
			}
			failed[e.Column] = true
		}
		for _, c := range columns {
			v, present := got[c]
			switch {
			case strings.TrimSpace(s) == "":
				continue // empty: left out, or as the typing says
			case present == failed[c]:
				t.Fatalf("%s: %q as %s gave %#v (present %v), error %v: want exactly one", c, s, kind, v, present, failed[c])
			case kind == readers.KindError && present:
				t.Fatalf("%s: the formula error %q typed as %#v", c, s, v)
			case kind == readers.KindNumber && present && (c == "day" || c == "at"):
				t.Fatalf("%s: the number %q typed as the date %#v", c, s, v)
			}
			if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
				t.Fatalf("%s: %q as %s typed as %v", c, s, kind, f)
			}
			if !present || kind == readers.KindText || kind == readers.KindNumber {
				continue
			}
			text, _ := v.(string)
			switch c {
			case "day":
				if _, err := time.Parse(typedDate, text); err != nil {
					t.Fatalf("day: %q as %s typed as %#v", s, kind, v)
				}
			case "at":
				if at, err := time.Parse(time.RFC3339Nano, text); err != nil || at.Year() > 9999 || at.Year() < 0 {
					t.Fatalf("at: %q as %s typed as %#v", s, kind, v)
				}
			}
		}
	})
}
