package benchdata_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/spec"
)

var (
	orderNo = regexp.MustCompile(`^[0-9]{8}$`)
	ddmmyyy = regexp.MustCompile(`^[0-3][0-9]\.[01][0-9]\.20[0-9]{2}$`)
	amount  = regexp.MustCompile(`^[0-9]{1,3}( [0-9]{3})*,[0-9]{2}$`)
	integer = regexp.MustCompile(`^[1-9][0-9]*$`)
)

func TestWriteOrderLinesCSV(t *testing.T) {
	dir := t.TempDir()
	const rows = 2600
	path, err := benchdata.WriteOrderLines(dir, rows, "csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, benchdata.SpecFile); path != want {
		t.Errorf("spec path = %q, want %q", path, want)
	}
	records := readCSV(t, filepath.Join(dir, "ordrelinjer.csv"))
	if !slices.Equal(records[0], benchdata.Columns) {
		t.Fatalf("header = %q, want %q", records[0], benchdata.Columns)
	}
	if got := len(records) - 1; got != rows {
		t.Fatalf("%d data rows, want %d", got, rows)
	}
	faults := 0
	for i, r := range records[1:] {
		wantOrder := strconv.Itoa(10000001 + i/benchdata.LinesPerOrder)
		wantLine := strconv.Itoa(i%benchdata.LinesPerOrder + 1)
		if r[0] != wantOrder || r[4] != wantLine {
			t.Fatalf("row %d: order %s line %s, want %s line %s", i, r[0], r[4], wantOrder, wantLine)
		}
		ok := orderNo.MatchString(r[0]) && ddmmyyy.MatchString(r[1]) && r[5] != "" && r[5] != "Ukjent vare" &&
			(integer.MatchString(r[7]) || amount.MatchString(r[7])) && r[7] != "0" &&
			amount.MatchString(r[8]) && ddmmyyy.MatchString(r[9]) && r[9] != "31.02.2026" &&
			!bytes.Contains([]byte(r[3]), []byte("(at)"))
		if !ok {
			faults++
			if i%benchdata.InvalidEvery != benchdata.InvalidEvery/2 {
				t.Errorf("row %d is faulty but should be valid: %q", i, r)
			}
		}
	}
	if want := benchdata.Invalid(rows); faults != want || want != 3 {
		t.Errorf("%d faulty rows, want %d (and 3)", faults, want)
	}
}

func TestWriteOrderLinesXLSX(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchdata.WriteOrderLines(dir, 1000, "xlsx"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "ordrelinjer.xlsx"), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{benchdata.Sheet}) {
		t.Fatalf("sheets = %q, want [%s]", got, benchdata.Sheet)
	}
	tests := []struct {
		name     string
		cell     string
		wantType excelize.CellType
		wantRaw  *regexp.Regexp
	}{
		{name: "header", cell: "A1", wantType: excelize.CellTypeInlineString, wantRaw: regexp.MustCompile(`^Ordrenr$`)},
		{name: "order number is text", cell: "A2", wantType: excelize.CellTypeInlineString, wantRaw: regexp.MustCompile(`^10000001$`)},
		{name: "order date is a serial", cell: "B2", wantType: excelize.CellTypeUnset, wantRaw: regexp.MustCompile(`^4[6-7][0-9]{3}$`)},
		{name: "line number is a number", cell: "E3", wantType: excelize.CellTypeUnset, wantRaw: regexp.MustCompile(`^2$`)},
		{name: "unit price is a number", cell: "I2", wantType: excelize.CellTypeUnset, wantRaw: regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)},
		{name: "faulty date is text", cell: "J502", wantType: excelize.CellTypeInlineString, wantRaw: regexp.MustCompile(`^31\.02\.2026$`)},
		{name: "delivery date is a serial", cell: "J11", wantType: excelize.CellTypeUnset, wantRaw: regexp.MustCompile(`^4[6-7][0-9]{3}$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, err := f.GetCellType(benchdata.Sheet, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := f.GetCellValue(benchdata.Sheet, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			if typ != tt.wantType || !tt.wantRaw.MatchString(raw) {
				t.Errorf("%s: type %v value %q, want type %v value matching %s", tt.cell, typ, raw, tt.wantType, tt.wantRaw)
			}
		})
	}
	shown, err := f.GetCellValue(benchdata.Sheet, "B2", excelize.Options{RawCellValue: false})
	if err != nil {
		t.Fatal(err)
	}
	if !ddmmyyy.MatchString(shown) {
		t.Errorf("B2 shows %q, want a dd.mm.yyyy date", shown)
	}
}

// TestWriteOrderLinesDeterministic: the same size and format give the same bytes.
func TestWriteOrderLinesDeterministic(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			for _, dir := range []string{a, b} {
				if _, err := benchdata.WriteOrderLines(dir, 700, format); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range []string{"ordrelinjer." + format, benchdata.SpecFile, benchdata.SchemaFile, benchdata.LookupFile} {
				x, err := os.ReadFile(filepath.Join(a, name))
				if err != nil {
					t.Fatal(err)
				}
				y, err := os.ReadFile(filepath.Join(b, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(x, y) {
					t.Errorf("%s differs between two runs", name)
				}
			}
		})
	}
}

// TestWriteOrderLinesSpecLoads: the job the generator writes is a valid spec for both formats.
func TestWriteOrderLinesSpecLoads(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			path, err := benchdata.WriteOrderLines(t.TempDir(), 5, format)
			if err != nil {
				t.Fatal(err)
			}
			job, err := spec.Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(job.Sources) != 1 || filepath.Base(job.Sources[0].File) != "ordrelinjer."+format {
				t.Errorf("sources = %+v, want one reading ordrelinjer.%s", job.Sources, format)
			}
			if len(job.Entities) != 2 || !job.Entities[0].Distinct || job.Entities[1].Parent == nil {
				t.Errorf("entities = %+v, want a distinct order and an order_line child", job.Entities)
			}
		})
	}
}

func TestWriteOrderLinesErrors(t *testing.T) {
	tests := []struct {
		name    string
		rows    int
		format  string
		wantErr string
	}{
		{name: "no rows", rows: 0, format: "csv", wantErr: "benchdata: rows must be at least 1, not 0"},
		{name: "unknown format", rows: 10, format: "xls", wantErr: `benchdata: unknown format "xls" (want csv or xlsx)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := benchdata.WriteOrderLines(t.TempDir(), tt.rows, tt.format)
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("err = %v, want %s", err, tt.wantErr)
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name string
		rows int
		want int
	}{
		{name: "below the first", rows: 500, want: 0},
		{name: "the first", rows: 501, want: 1},
		{name: "200k", rows: 200000, want: 200},
		{name: "just past the second", rows: 1501, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := benchdata.Invalid(tt.rows); got != tt.want {
				t.Errorf("Invalid(%d) = %d, want %d", tt.rows, got, tt.want)
			}
		})
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}
