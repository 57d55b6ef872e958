package readers_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// TestXLSXConformance reads every workbook of testdata/xlsx, cell by cell, and compares each
// non-empty cell with what openpyxl read in it when make-fixtures.sh made the fixtures
// (conformance.golden.json: sheet, reference, kind and value): the same cells, the same kinds,
// the same text, numbers, booleans and errors, and dates that stand for the same time, to the
// millisecond, in the workbook's date system. A workbook without golden cells fails: run
// make-fixtures.sh.
func TestXLSXConformance(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "xlsx", "conformance.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]map[string][][3]string
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "xlsx", "*.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d workbooks in testdata/xlsx", len(files))
	}
	typer, err := transforms.NewTyper(&spec.Source{File: "x.xlsx", Format: "xlsx"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			want, ok := golden[name]
			if !ok {
				t.Fatalf("no golden cells for %s: run make-fixtures.sh", name)
			}
			sheets, cells, dates, err := readers.ReadAllCells(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(sheets) != len(want) {
				t.Errorf("sheets %q, openpyxl read %d", sheets, len(want))
			}
			for _, sheet := range sheets {
				got := cells[sheet]
				exp := want[sheet]
				for i := 0; i < max(len(got), len(exp)); i++ {
					switch {
					case i >= len(got):
						t.Errorf("%s!%s: not read; openpyxl read %v", sheet, exp[i][0], exp[i])
						continue
					case i >= len(exp):
						t.Errorf("%s!%s: read %v, openpyxl read nothing there", sheet, got[i].Ref, got[i])
						continue
					}
					if msg := sameCell(typer, dates, got[i], exp[i]); msg != "" {
						t.Errorf("%s!%s: %s", sheet, exp[i][0], msg)
					}
				}
			}
		})
	}
}

// sameCell compares one cell with openpyxl's reading of it; "" when they agree.
func sameCell(typer *transforms.Typer, dates readers.DateSystem, got readers.SheetCell, want [3]string) string {
	ref, kind, value := want[0], want[1], want[2]
	if got.Ref != ref {
		return fmt.Sprintf("read cell %s, openpyxl read %s", got.Ref, ref)
	}
	differ := func() string {
		return fmt.Sprintf("read %s %q, openpyxl read %s %q", got.Kind, got.Value, kind, value)
	}
	switch kind {
	case "text":
		if got.Kind != readers.KindText || got.Value != value {
			return differ()
		}
	case "boolean":
		if got.Kind != readers.KindBool || got.Value != value {
			return differ()
		}
	case "error":
		if got.Kind != readers.KindError || got.Value != value {
			return differ()
		}
	case "number":
		a, errA := strconv.ParseFloat(got.Value, 64)
		b, errB := strconv.ParseFloat(value, 64)
		if got.Kind != readers.KindNumber || errA != nil || errB != nil || a != b {
			return differ()
		}
	case "date", "time":
		if got.Kind != readers.KindDate && got.Kind != readers.KindDateTime {
			return differ()
		}
		typed, errs := typer.Type(readers.Row{Columns: []string{"c"}, Values: []any{got.Value}, Kinds: []readers.CellKind{got.Kind}, Dates: dates})
		if len(errs) > 0 {
			return differ() + ": " + errs[0].Msg
		}
		iso, _ := typed["c"].(string)
		at, err := time.Parse(time.RFC3339Nano, iso)
		if err != nil {
			at, err = time.Parse(time.DateOnly, iso)
		}
		if err != nil {
			return differ() + ": typed as " + iso
		}
		if kind == "time" { // openpyxl reads a serial below 1 as a time of day
			if at.Format("15:04:05") != value {
				return differ() + ": typed as " + iso
			}
			return ""
		}
		w, err := time.Parse("2006-01-02T15:04:05.000", value)
		if err != nil || !w.Equal(at) {
			return differ() + ": typed as " + iso
		}
	default:
		return "openpyxl's kind " + strings.ToUpper(kind) + " is not one the test knows"
	}
	return ""
}
