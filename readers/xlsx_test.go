package readers

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// The workbooks in testdata/xlsx were written by LibreOffice Calc from the flat-ODF sources
// beside them (make-fixtures.sh). sites.xlsx: a SiteTypes sheet (the active one) and a Sites
// sheet whose header is on row 3, with blank rows, dates, decimals, integers stored as floats and
// formulas; dates1904.xlsx: a workbook in the 1904 date system; bad-headers.xlsx: a sheet each for
// a duplicate column name, an empty column name, no rows at all, and a value beyond the header.

// openXLSXFixture opens a workbook of testdata/xlsx as a spec would name it.
func openXLSXFixture(t *testing.T, name string, src spec.Source) (Source, error) {
	t.Helper()
	src.Name, src.Path, src.File = "test", name, filepath.Join("testdata", "xlsx", name)
	return OpenXLSX(&src)
}

// renderXLSXRow renders a row on one line: its origin, its date system, its cells as
// column=value, and its error.
func renderXLSXRow(r Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s!%d dates=%d", r.Origin.Sheet, r.Origin.Line, r.Dates)
	for i, c := range r.Columns {
		fmt.Fprintf(&b, " %s=%v", c, r.Values[i])
	}
	if r.Err != nil {
		fmt.Fprintf(&b, " ERR %v", r.Err)
	}
	return b.String()
}

func TestOpenXLSXFixtures(t *testing.T) {
	siteTypes := []string{
		"SiteTypes!2 dates=1 Code=HQ Description=Headquarters Sort=1",
		"SiteTypes!3 dates=1 Code=WH Description=Lager og verksted Sort=2",
	}
	// Rows 6 and 8 are blank. Opened holds date serials (and, on row 12, text that is not a date);
	// FloorArea and Label are formulas, read as their cached results; row 9 has empty cells.
	sites := []string{
		"Sites!4 dates=1 Code=S-001 Name=Head office Opened=46081 Area=1234.5 Floors=3 FloorArea=3703.5 Label=S-001 Head office",
		`Sites!5 dates=1 Code=S-002 Name=Lager Nord "Ås" & co Opened=45293 Area=0.25 Floors=12 FloorArea=3 Label=S-002 Lager Nord "Ås" & co`,
		"Sites!7 dates=1 Code=S-003 Name=Depot Opened=61 Area=99999.99 Floors=1 FloorArea=99999.99 Label=S-003 Depot",
		"Sites!9 dates=1 Code=S-004 Name=Tomt Opened= Area= Floors=0 FloorArea=0 Label=",
		"Sites!10 dates=1 Code=S-005 Name=Skur Opened=36585 Area=-12.75 Floors=2 FloorArea=-25.5 Label=S-005 Skur",
		"Sites!11 dates=1 Code=S-006 Name=Siste dag Opened=2958465 Area=1000000 Floors=40 FloorArea=40000000 Label=S-006 Siste dag",
		"Sites!12 dates=1 Code=S-007 Name=Feil Opened=31.02.2026 Area=5 Floors=1.5 FloorArea=7.5 Label=S-007 Feil",
	}
	tests := []struct {
		name string
		file string
		src  spec.Source
		want []string
	}{
		{"active sheet", "sites.xlsx", spec.Source{}, siteTypes},
		{"sheet by name", "sites.xlsx", spec.Source{Sheet: "SiteTypes"}, siteTypes},
		{"header on row 3", "sites.xlsx", spec.Source{Sheet: "Sites", HeaderRow: 3}, sites},
		{"sheet by index", "sites.xlsx", spec.Source{SheetIndex: 2, HeaderRow: 3}, sites},
		{"1904 date system", "dates1904.xlsx", spec.Source{}, []string{
			"Dates!2 dates=2 Event=epoch Day=1 At=1.25",
			"Dates!3 dates=2 Event=leap Day=43889 At=43889.4375",
			"Dates!4 dates=2 Event=y2k Day=35064 At=35063.9993055556",
		}},
		{"value beyond the header", "bad-headers.xlsx", spec.Source{Sheet: "Wide"}, []string{
			`Wide!2 dates=1 Code=A Name=B ERR bad-headers.xlsx Wide!2: cell D2 holds "extra" but the header has only 2 columns (A to B)`,
			"Wide!3 dates=1 Code=C Name=D",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openXLSXFixture(t, tt.file, tt.src)
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, s)
			var got []string
			for _, r := range rows {
				if r.Origin.File != tt.file {
					t.Errorf("Origin.File = %q, want %q", r.Origin.File, tt.file)
				}
				got = append(got, renderXLSXRow(r))
			}
			checkLines(t, got, tt.want)
		})
	}
}

// Two sources on one workbook read their own sheets, even when read in turns.
func TestXLSXTwoSheetsOfOneWorkbook(t *testing.T) {
	a, err := openXLSXFixture(t, "sites.xlsx", spec.Source{Sheet: "SiteTypes"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := openXLSXFixture(t, "sites.xlsx", spec.Source{Sheet: "Sites", HeaderRow: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var got []string
	for _, s := range []Source{a, b, a, b} {
		r, err := s.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s!%d %v", r.Origin.Sheet, r.Origin.Line, r.Values[0]))
	}
	checkLines(t, got, []string{"SiteTypes!2 HQ", "Sites!4 S-001", "SiteTypes!3 WH", "Sites!5 S-002"})
}

func TestOpenXLSXErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		src  spec.Source
		want string
	}{
		{"missing file", "nope.xlsx", spec.Source{}, "nope.xlsx: not a readable XLSX workbook: open testdata/xlsx/nope.xlsx: no such file or directory"},
		{"not a workbook", "sites.fods", spec.Source{}, "sites.fods: not a readable XLSX workbook: zip: not a valid zip file (the file has 11126 bytes: is it cut short, or not a workbook?)"},
		{"missing sheet", "sites.xlsx", spec.Source{Sheet: "Steder"}, `sites.xlsx: no sheet "Steder"; the workbook has "SiteTypes", "Sites"`},
		{"sheet name in the wrong case", "sites.xlsx", spec.Source{Sheet: "sites"}, `sites.xlsx: no sheet "sites"; did you mean "Sites"? (sheet names are matched exactly)`},
		{"sheet_index beyond the sheets", "sites.xlsx", spec.Source{SheetIndex: 3}, `sites.xlsx: sheet_index 3: the workbook has 2 sheet(s): "SiteTypes", "Sites"`},
		{"negative header_row", "sites.xlsx", spec.Source{HeaderRow: -1}, "sites.xlsx: header_row -1: must be 1 or more"},
		{"header_row beyond the rows", "sites.xlsx", spec.Source{Sheet: "Sites", HeaderRow: 13}, `sites.xlsx: sheet "Sites": no header: row 13 (header_row) and the rows after it are blank or missing`},
		{"duplicate column name", "bad-headers.xlsx", spec.Source{Sheet: "Duplicate"}, `bad-headers.xlsx Duplicate!C1 "Code": duplicate column name (also column A)`},
		{"blank header cell over data", "bad-headers.xlsx", spec.Source{Sheet: "EmptyName"}, `bad-headers.xlsx EmptyName!B1: the header cell is blank, but cell B2 under it holds a value: name the column, or empty it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openXLSXFixture(t, tt.file, tt.src)
			if err == nil {
				s.Close()
				t.Fatalf("no error; want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %q\nwant %q", err, tt.want)
			}
		})
	}
}

// A workbook cut short loses the zip directory at its end: the error says so and gives the size.
func TestOpenXLSXTruncatedFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "xlsx", "sites.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cut  int
		want string
	}{
		{0, "cut.xlsx: not a readable XLSX workbook: zip: not a valid zip file (the file has 0 bytes: is it cut short, or not a workbook?)"},
		{100, ""},
		{len(data) / 2, ""},
		{len(data) - 22, ""},
		{len(data) - 1, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.cut), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "cut.xlsx")
			if err := os.WriteFile(file, data[:tt.cut], 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := OpenXLSX(&spec.Source{Path: "cut.xlsx", File: file})
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			want := tt.want
			if want == "" {
				want = fmt.Sprintf("cut.xlsx: not a readable XLSX workbook: zip: not a valid zip file (the file has %d bytes: is it cut short, or not a workbook?)", tt.cut)
			}
			if err.Error() != want {
				t.Errorf("error\n got %q\nwant %q", err, want)
			}
		})
	}
}

// writeWorkbook writes a minimal workbook by hand with one sheet "Data" whose XML is sheetXML, so
// that tests can give the reader sheet data no office suite would write.
func writeWorkbook(t *testing.T, sheetXML string) string {
	t.Helper()
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheetXML},
	}
	file := filepath.Join(t.TempDir(), "hand.xlsx")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, p := range parts {
		pw, err := w.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pw.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(w.Close(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return file
}

// Malformed sheet XML is an error naming the file, sheet and cell where the XML breaks off and the
// row before (or after) which reading stopped; rows before it are read, the row it breaks off in
// is not (see also TestXLSXHostile).
func TestXLSXMalformedSheet(t *testing.T) {
	const (
		start  = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
		dim    = `<dimension ref="A1:B4"/>`
		header = `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>`
		row2   = `<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>`
		end    = `</sheetData></worksheet>`
	)
	tests := []struct {
		name     string
		sheet    string
		wantRows int
		want     string
	}{
		{"well formed", start + header + row2 + end, 1, ""},
		{"cut inside a cell", start + dim + header + row2 + `<row r="3"><c r="A3"><v>1`, 1,
			`hand.xlsx Data!A3: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 344: the XML ends in the middle of an element: is it cut short?); reading stopped before row 3`},
		{"cut between rows", start + dim + header + row2, 1,
			`hand.xlsx: sheet "Data" after row 2: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 319: the XML ends in the middle of an element: is it cut short?); reading stopped after row 2`},
		{"mismatched tags", start + dim + header + row2 + `<row r="3"><c r="A3"><v>1</c></row><row r="4"><c r="A4"><v>4</v></c></row>` + end, 1,
			`hand.xlsx Data!A3: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 348: element <v> closed by </c>); reading stopped before row 3`},
		{"bad cell reference", start + header + `<row r="2"><c r="A0"><v>1</v></c></row>` + end, 0,
			`hand.xlsx Data!2: malformed sheet data: cell reference "A0" is not a cell of row 2`},
		{"column beyond XFD", start + header + `<row r="2"><c r="XFE2"><v>1</v></c></row>` + end, 0,
			`hand.xlsx Data!2: malformed sheet data: cell XFE2 is beyond column XFD, the last a sheet can have`},
		{"row beyond the sheet's limit", start + header + `<row r="1048577"><c r="A1048577"><v>1</v></c></row>` + end, 0,
			`hand.xlsx Data!1048577: malformed sheet data: row 1048577 is beyond row 1048576, the last a sheet can have`},
		// The dimension is a hint that the reader does not need: a malformed one, or one larger
		// or smaller than the data, is no fault.
		{"malformed dimension", start + `<dimension ref="A1:B"/>` + header + row2 + end, 1, ""},
		{"dimension larger than the data", start + `<dimension ref="A1:T200"/>` + header + row2 + end, 1, ""},
		{"dimension smaller than the data", start + `<dimension ref="A1"/>` + header + row2 + end, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := OpenXLSX(&spec.Source{Path: "hand.xlsx", File: writeWorkbook(t, tt.sheet)})
			if tt.wantRows < 0 {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("OpenXLSX error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := 0
			for {
				_, err = s.Next(t.Context())
				if err != nil {
					break
				}
				n++
			}
			if n != tt.wantRows {
				t.Errorf("read %d rows before the error, want %d", n, tt.wantRows)
			}
			got := ""
			if !errors.Is(err, io.EOF) {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("error:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestXLSXContextCancel(t *testing.T) {
	s, err := openXLSXFixture(t, "sites.xlsx", spec.Source{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next on a cancelled context: %v", err)
	}
}

func TestXLSXClose(t *testing.T) {
	s, err := openXLSXFixture(t, "sites.xlsx", spec.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := s.Next(t.Context()); err == nil || err.Error() != "sites.xlsx: read after Close" {
		t.Fatalf("Next after Close: %v", err)
	}
}
