package readers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// producedRows opens a sheet of a workbook of testdata/xlsx, types every row with
// producers.schema.json and renders each on one line: its origin, its typed values as JSON, and
// each error with the cell it names, as a report shows them. wantOpen is the error Open must give.
func producedRows(t *testing.T, src spec.Source, wantOpen string) []string {
	t.Helper()
	src.Name, src.File = "test", filepath.Join("testdata", "xlsx", src.Path)
	schema, err := schemas.LoadRow(filepath.Join("testdata", "xlsx", "producers.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	typer, err := transforms.NewTyper(&src, schema)
	if err != nil {
		t.Fatal(err)
	}
	s, err := readers.Open(&src)
	switch {
	case wantOpen != "":
		if err == nil || err.Error() != wantOpen {
			t.Fatalf("Open error %v\nwant %q", err, wantOpen)
		}
		return nil
	case err != nil:
		t.Fatal(err)
	}
	defer s.Close()
	var out []string
	for {
		row, err := s.Next(t.Context())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		typed, errs := typer.Type(row)
		js, err := json.Marshal(typed)
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("%s %s", row.Origin, js)
		if row.Err != nil {
			line += " | " + row.Err.Error()
		}
		for _, e := range errs {
			line += fmt.Sprintf(" | %s: %s", row.Cell(e.Column), e.Msg)
		}
		out = append(out, line)
	}
}

func checkRows(t *testing.T, got, want []string) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("row %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// TestXLSXProducers reads the workbook of each failure class of issue 13, as the program that
// writes such files wrote it (see make-fixtures.sh), and types it with producers.schema.json:
// the values read and the error on each cell a user would see.
func TestXLSXProducers(t *testing.T) {
	tests := []struct {
		name     string
		src      spec.Source
		wantOpen string
		want     []string
	}{
		{"table starting in column C", spec.Source{Path: "structure.xlsx", Sheet: "Offset"}, "", []string{
			`structure.xlsx Offset!2 {"Code":"S-1","Name":"Pump","Qty":3}`,
			`structure.xlsx Offset!3 {"Code":"S-2","Name":"Valve","Qty":12}`,
		}},
		{"blank spacer column with nothing under it", spec.Source{Path: "structure.xlsx", Sheet: "Spacer"}, "", []string{
			`structure.xlsx Spacer!2 {"Code":"S-1","Name":"Pump"}`,
			`structure.xlsx Spacer!3 {"Code":"S-2","Name":"Valve"}`,
		}},
		{"styled empty cells to T200: dimension A1:T200", spec.Source{Path: "structure.xlsx", Sheet: "Dimension"}, "", []string{
			`structure.xlsx Dimension!2 {"Code":"S-1","Name":"Pump"}`,
		}},
		{"empty sheet (openpyxl)", spec.Source{Path: "structure.xlsx", Sheet: "Empty"}, "", []string{}},
		{"dimension A1:T200 set by excelize, milliseconds", spec.Source{Path: "excelize.xlsx"}, "", []string{
			`excelize.xlsx Sites!2 {"Active":true,"At":"2024-01-02T10:30:15.123Z","Code":"S-1","Opened":"2024-01-02","Qty":3}`,
			`excelize.xlsx Sites!3 {"Active":false,"At":"1999-12-31T23:59:59.999Z","Code":"S-2","Opened":"1999-12-31","Qty":0.25}`,
		}},
		{"excelize, 1904 date system", spec.Source{Path: "excelize1904.xlsx"}, "", []string{
			`excelize1904.xlsx Sites!2 {"Active":true,"At":"2024-01-02T10:30:15.123Z","Code":"S-1","Opened":"2024-01-02","Qty":3}`,
			`excelize1904.xlsx Sites!3 {"Active":false,"At":"1999-12-31T23:59:59.999Z","Code":"S-2","Opened":"1999-12-31","Qty":0.25}`,
		}},
		{"LibreOffice formula errors and cached results", spec.Source{Path: "errors.xlsx", Sheet: "Orders"}, "", []string{
			`errors.xlsx Orders!2 {"Case":"div0"} | Orders!B2: the cell holds the formula error #DIV/0! | Orders!C2: the cell holds the formula error #DIV/0!`,
			`errors.xlsx Orders!3 {"Case":"na"} | Orders!B3: the cell holds the formula error #N/A | Orders!C3: the cell holds the formula error #N/A`,
			`errors.xlsx Orders!4 {"Case":"value"} | Orders!B4: the cell holds the formula error #VALUE! | Orders!C4: the cell holds the formula error #VALUE!`,
			`errors.xlsx Orders!5 {"Case":"num"} | Orders!B5: the cell holds the formula error #VALUE! | Orders!C5: the cell holds the formula error #VALUE!`,
			`errors.xlsx Orders!6 {"Case":"name"} | Orders!B6: the cell holds the formula error #NAME? | Orders!C6: the cell holds the formula error #NAME?`,
			`errors.xlsx Orders!7 {"Case":"ref"} | Orders!B7: the cell holds the formula error #REF! | Orders!C7: the cell holds the formula error #REF!`,
			`errors.xlsx Orders!8 {"Case":"null"} | Orders!B8: the cell holds the formula error #REF! | Orders!C8: the cell holds the formula error #REF!`,
			`errors.xlsx Orders!9 {"Case":"fine","Note":"ok!","Qty":6}`,
		}},
		{"LibreOffice merged header over an empty column, table from B2", spec.Source{Path: "errors.xlsx", Sheet: "Merged", HeaderRow: 2}, "", []string{
			`errors.xlsx Merged!3 {"Address":"Storgata 1","At":"2024-01-02T10:30:15.123Z","Code":"S-1"}`,
			`errors.xlsx Merged!4 {"Address":"Kaia 2","At":"1999-12-31T23:59:59.999Z","Code":"S-2"}`,
		}},
		{"xlsxwriter formulas with cached values, rich text", spec.Source{Path: "writer.xlsx", Sheet: "Formulas"}, "", []string{
			`writer.xlsx Formulas!2 {"Case":"sum","Value":"3"}`,
			`writer.xlsx Formulas!3 {"Case":"text","Value":"Pump"}`,
			`writer.xlsx Formulas!4 {"Case":"boolean","Value":"TRUE"}`,
			`writer.xlsx Formulas!5 {"Case":"#NULL!"} | Formulas!B5: the cell holds the formula error #NULL!`,
			`writer.xlsx Formulas!6 {"Case":"#DIV/0!"} | Formulas!B6: the cell holds the formula error #DIV/0!`,
			`writer.xlsx Formulas!7 {"Case":"#VALUE!"} | Formulas!B7: the cell holds the formula error #VALUE!`,
			`writer.xlsx Formulas!8 {"Case":"#REF!"} | Formulas!B8: the cell holds the formula error #REF!`,
			`writer.xlsx Formulas!9 {"Case":"#NAME?"} | Formulas!B9: the cell holds the formula error #NAME?`,
			`writer.xlsx Formulas!10 {"Case":"#NUM!"} | Formulas!B10: the cell holds the formula error #NUM!`,
			`writer.xlsx Formulas!11 {"Case":"#N/A"} | Formulas!B11: the cell holds the formula error #N/A`,
			`writer.xlsx Formulas!12 {"Case":"rich","Value":"Lager Nord AS"}`,
		}},
		{"xlsxwriter merged header over an empty column", spec.Source{Path: "writer.xlsx", Sheet: "Merged"}, "", []string{
			`writer.xlsx Merged!2 {"Address":"Storgata 1","Code":"S-1"}`,
			`writer.xlsx Merged!3 {"Address":"Kaia 2","Code":"S-2"}`,
		}},
		{"xlsxwriter milliseconds", spec.Source{Path: "writer.xlsx", Sheet: "Dates"}, "", []string{
			`writer.xlsx Dates!2 {"At":"2024-01-02T10:30:15.123Z","Case":"milliseconds"}`,
		}},
		{"xlsxwriter inline strings (constant_memory)", spec.Source{Path: "writer-inline.xlsx", Sheet: "Formulas"}, "", []string{
			`writer-inline.xlsx Formulas!2 {"Case":"sum","Value":"3"}`,
			`writer-inline.xlsx Formulas!3 {"Case":"text","Value":"Pump"}`,
			`writer-inline.xlsx Formulas!4 {"Case":"boolean","Value":"TRUE"}`,
			`writer-inline.xlsx Formulas!5 {"Case":"#NULL!"} | Formulas!B5: the cell holds the formula error #NULL!`,
			`writer-inline.xlsx Formulas!6 {"Case":"#DIV/0!"} | Formulas!B6: the cell holds the formula error #DIV/0!`,
			`writer-inline.xlsx Formulas!7 {"Case":"#VALUE!"} | Formulas!B7: the cell holds the formula error #VALUE!`,
			`writer-inline.xlsx Formulas!8 {"Case":"#REF!"} | Formulas!B8: the cell holds the formula error #REF!`,
			`writer-inline.xlsx Formulas!9 {"Case":"#NAME?"} | Formulas!B9: the cell holds the formula error #NAME?`,
			`writer-inline.xlsx Formulas!10 {"Case":"#NUM!"} | Formulas!B10: the cell holds the formula error #NUM!`,
			`writer-inline.xlsx Formulas!11 {"Case":"#N/A"} | Formulas!B11: the cell holds the formula error #N/A`,
			`writer-inline.xlsx Formulas!12 {"Case":"rich","Value":"Lager Nord AS"}`,
		}},
		{"xlsxwriter 1904 date system", spec.Source{Path: "writer1904.xlsx"}, "", []string{
			`writer1904.xlsx Dates!2 {"Case":"epoch","Day":"1904-01-01"}`,
			`writer1904.xlsx Dates!3 {"Case":"leap","Day":"2024-02-29"}`,
		}},
		{"openpyxl cell kinds under date, date-time, string and number columns", spec.Source{Path: "kinds.xlsx", Sheet: "Kinds"}, "", []string{
			`kinds.xlsx Kinds!2 {"At":"2024-01-02T10:30:15.123Z","Case":"date","Day":"2024-01-02","Text":"2024-01-02"} | Kinds!E2: the cell holds the date 2024-01-02, not a number`,
			`kinds.xlsx Kinds!3 {"Amount":45000,"At":"2024-02-29T00:00:00Z","Case":"midnight","Day":"2024-02-29","Text":"2024-02-29T00:00:00Z"}`,
			`kinds.xlsx Kinds!4 {"Amount":0.1,"Case":"number","Text":"45000"} | Kinds!B4: the cell holds the number 45000, not a date (the cell is not formatted as a date) | Kinds!C4: the cell holds the number 45000.5, not a date-time (the cell is not formatted as a date)`,
			`kinds.xlsx Kinds!5 {"Case":"boolean","Text":"TRUE"} | Kinds!B5: the cell holds the boolean TRUE, not a date | Kinds!C5: the cell holds the boolean FALSE, not a date-time | Kinds!E5: the cell holds the boolean FALSE, not a number`,
			`kinds.xlsx Kinds!6 {"Amount":1234.5,"Case":"numeric text","Text":"007"} | Kinds!B6: "45000" is a number written as text, not a date (expected YYYY-MM-DD) | Kinds!C6: "45000.5" is a number written as text, not a date-time (expected RFC 3339 or YYYY-MM-DD hh:mm:ss)`,
			`kinds.xlsx Kinds!7 {"At":"2024-01-02T10:30:00Z","Case":"text","Day":"2024-01-02","Text":"Pump"} | Kinds!E7: "12,5" is not a number (decimal separator "."; a "," is ambiguous)`,
			`kinds.xlsx Kinds!8 {"Amount":1e+21,"At":"1999-12-31T23:59:59.999Z","Case":"milliseconds","Text":"1999-12-31T23:59:59.999Z"} | Kinds!B8: the cell holds 1999-12-31 23:59:59.999, which has a time of day, but the column is a date`,
		}},
		{"openpyxl every formula error in date, string and number columns", spec.Source{Path: "kinds.xlsx", Sheet: "Errors"}, "", []string{
			`kinds.xlsx Errors!2 {"Error":"NULL"} | Errors!B2: the cell holds the formula error #NULL! | Errors!C2: the cell holds the formula error #NULL! | Errors!D2: the cell holds the formula error #NULL!`,
			`kinds.xlsx Errors!3 {"Error":"DIV/0"} | Errors!B3: the cell holds the formula error #DIV/0! | Errors!C3: the cell holds the formula error #DIV/0! | Errors!D3: the cell holds the formula error #DIV/0!`,
			`kinds.xlsx Errors!4 {"Error":"VALUE"} | Errors!B4: the cell holds the formula error #VALUE! | Errors!C4: the cell holds the formula error #VALUE! | Errors!D4: the cell holds the formula error #VALUE!`,
			`kinds.xlsx Errors!5 {"Error":"REF"} | Errors!B5: the cell holds the formula error #REF! | Errors!C5: the cell holds the formula error #REF! | Errors!D5: the cell holds the formula error #REF!`,
			`kinds.xlsx Errors!6 {"Error":"NAME"} | Errors!B6: the cell holds the formula error #NAME? | Errors!C6: the cell holds the formula error #NAME? | Errors!D6: the cell holds the formula error #NAME?`,
			`kinds.xlsx Errors!7 {"Error":"NUM"} | Errors!B7: the cell holds the formula error #NUM! | Errors!C7: the cell holds the formula error #NUM! | Errors!D7: the cell holds the formula error #NUM!`,
			`kinds.xlsx Errors!8 {"Error":"N/A"} | Errors!B8: the cell holds the formula error #N/A | Errors!C8: the cell holds the formula error #N/A | Errors!D8: the cell holds the formula error #N/A`,
			`kinds.xlsx Errors!9 {"Error":"GETTING_DATA"} | Errors!B9: the cell holds the formula error #GETTING_DATA | Errors!C9: the cell holds the formula error #GETTING_DATA | Errors!D9: the cell holds the formula error #GETTING_DATA`,
			`kinds.xlsx Errors!10 {"Error":"SPILL"} | Errors!B10: the cell holds the formula error #SPILL! | Errors!C10: the cell holds the formula error #SPILL! | Errors!D10: the cell holds the formula error #SPILL!`,
			`kinds.xlsx Errors!11 {"Error":"CALC"} | Errors!B11: the cell holds the formula error #CALC! | Errors!C11: the cell holds the formula error #CALC! | Errors!D11: the cell holds the formula error #CALC!`,
			`kinds.xlsx Errors!12 {"Error":"FIELD"} | Errors!B12: the cell holds the formula error #FIELD! | Errors!C12: the cell holds the formula error #FIELD! | Errors!D12: the cell holds the formula error #FIELD!`,
			`kinds.xlsx Errors!13 {"Error":"BLOCKED"} | Errors!B13: the cell holds the formula error #BLOCKED! | Errors!C13: the cell holds the formula error #BLOCKED! | Errors!D13: the cell holds the formula error #BLOCKED!`,
			`kinds.xlsx Errors!14 {"Error":"CONNECT"} | Errors!B14: the cell holds the formula error #CONNECT! | Errors!C14: the cell holds the formula error #CONNECT! | Errors!D14: the cell holds the formula error #CONNECT!`,
			`kinds.xlsx Errors!15 {"Error":"BUSY"} | Errors!B15: the cell holds the formula error #BUSY! | Errors!C15: the cell holds the formula error #BUSY! | Errors!D15: the cell holds the formula error #BUSY!`,
			`kinds.xlsx Errors!16 {"Error":"UNKNOWN"} | Errors!B16: the cell holds the formula error #UNKNOWN! | Errors!C16: the cell holds the formula error #UNKNOWN! | Errors!D16: the cell holds the formula error #UNKNOWN!`,
		}},
		{"openpyxl cell kinds, 1904 date system", spec.Source{Path: "kinds1904.xlsx", Sheet: "Kinds"}, "", []string{
			`kinds1904.xlsx Kinds!2 {"At":"2024-01-02T10:30:15.123Z","Case":"date","Day":"2024-01-02","Text":"2024-01-02"} | Kinds!E2: the cell holds the date 2024-01-02, not a number`,
			`kinds1904.xlsx Kinds!3 {"Amount":45000,"At":"2024-02-29T00:00:00Z","Case":"midnight","Day":"2024-02-29","Text":"2024-02-29T00:00:00Z"}`,
			`kinds1904.xlsx Kinds!4 {"Amount":0.1,"Case":"number","Text":"45000"} | Kinds!B4: the cell holds the number 45000, not a date (the cell is not formatted as a date) | Kinds!C4: the cell holds the number 45000.5, not a date-time (the cell is not formatted as a date)`,
			`kinds1904.xlsx Kinds!5 {"Case":"boolean","Text":"TRUE"} | Kinds!B5: the cell holds the boolean TRUE, not a date | Kinds!C5: the cell holds the boolean FALSE, not a date-time | Kinds!E5: the cell holds the boolean FALSE, not a number`,
			`kinds1904.xlsx Kinds!6 {"Amount":1234.5,"Case":"numeric text","Text":"007"} | Kinds!B6: "45000" is a number written as text, not a date (expected YYYY-MM-DD) | Kinds!C6: "45000.5" is a number written as text, not a date-time (expected RFC 3339 or YYYY-MM-DD hh:mm:ss)`,
			`kinds1904.xlsx Kinds!7 {"At":"2024-01-02T10:30:00Z","Case":"text","Day":"2024-01-02","Text":"Pump"} | Kinds!E7: "12,5" is not a number (decimal separator "."; a "," is ambiguous)`,
			`kinds1904.xlsx Kinds!8 {"Amount":1e+21,"At":"1999-12-31T23:59:59.999Z","Case":"milliseconds","Text":"1999-12-31T23:59:59.999Z"} | Kinds!B8: the cell holds 1999-12-31 23:59:59.999, which has a time of day, but the column is a date`,
		}},
		{"parts at non-default paths", spec.Source{Path: "moved-parts.xlsx"}, "", []string{
			`moved-parts.xlsx Sites!2 {"Code":"S-1","Opened":"2024-01-02"}`,
			`moved-parts.xlsx Sites!3 {"Code":"S-2","Opened":"2023-03-15"}`,
		}},
		{"blank header cell over data (openpyxl)", spec.Source{Path: "structure.xlsx", Sheet: "BlankOverData"},
			"structure.xlsx BlankOverData!B1: the header cell is blank, but cell B3 under it holds a value: name the column, or empty it", nil},
		// The merged cell is the header's last: a value under its blank part is beyond the header.
		{"merged header over a column with data (xlsxwriter)", spec.Source{Path: "writer.xlsx", Sheet: "MergedOverData"}, "", []string{
			`writer.xlsx MergedOverData!2 {"Address":"Storgata","Code":"S-1"} | writer.xlsx MergedOverData!2: cell C2 holds "1" but the header has only 2 columns (A to B)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRows(t, producedRows(t, tt.src, tt.wantOpen), tt.want)
		})
	}
}

// Where blank header cells are no columns, cells are still named by their place in the sheet,
// and an empty sheet is an empty source that says so.
func TestXLSXSheetPlaces(t *testing.T) {
	tests := []struct {
		src          spec.Source
		column, cell string
	}{
		{spec.Source{Path: "structure.xlsx", Sheet: "Offset"}, "Qty", "Offset!E2"},
		{spec.Source{Path: "structure.xlsx", Sheet: "Spacer"}, "Name", "Spacer!C2"},
		{spec.Source{Path: "errors.xlsx", Sheet: "Merged", HeaderRow: 2}, "At", "Merged!E3"},
		{spec.Source{Path: "writer.xlsx", Sheet: "Merged"}, "Address", "Merged!B2"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			tt.src.File = filepath.Join("testdata", "xlsx", tt.src.Path)
			s, err := readers.Open(&tt.src)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			row, err := s.Next(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if got := row.Cell(tt.column); got != tt.cell {
				t.Errorf("cell of %s is %s, want %s", tt.column, got, tt.cell)
			}
		})
	}
	src := spec.Source{Path: "structure.xlsx", File: filepath.Join("testdata", "xlsx", "structure.xlsx"), Sheet: "Empty"}
	s, err := readers.Open(&src)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(t.Context()); !errors.Is(err, io.EOF) {
		t.Errorf("Next on an empty sheet: %v, want io.EOF", err)
	}
	w, ok := s.(interface{ Warnings() []string })
	if !ok {
		t.Fatal("the XLSX source has no Warnings")
	}
	if got, want := w.Warnings(), []string{`structure.xlsx: sheet "Empty" is empty: it has no header and no rows`}; !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
}
