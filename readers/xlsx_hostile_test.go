package readers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// bookPart is one part of a hand-made workbook: its body, or a raw deflate stream with the size
// and CRC-32 to declare for it.
type bookPart struct {
	name string
	body string
	raw  []byte
	size int64
	crc  uint32
}

const (
	xmlDecl    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
	sheetStart = xmlDecl + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	sstStart   = xmlDecl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
)

// handBook returns the parts of a workbook with one sheet per XML of sheets, named "Data",
// "Data2", ..., and, when sst is not "", a shared strings table.
func handBook(sst string, sheets ...string) []bookPart {
	var types, list, rels strings.Builder
	var parts []bookPart
	for i, xml := range sheets {
		n := i + 1
		name := "Data"
		if n > 1 {
			name = fmt.Sprintf("Data%d", n)
		}
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&list, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, n, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		parts = append(parts, bookPart{name: fmt.Sprintf("xl/worksheets/sheet%d.xml", n), body: xml})
	}
	if sst != "" {
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		rels.WriteString(`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
		parts = append(parts, bookPart{name: "xl/sharedStrings.xml", body: sst})
	}
	return append([]bookPart{
		{name: "[Content_Types].xml", body: xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` + types.String() + `</Types>`},
		{name: "_rels/.rels", body: xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", body: xmlDecl + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` + list.String() + `</sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", body: xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() + `</Relationships>`},
	}, parts...)
}

// withPart returns parts with the part of the same name replaced by p.
func withPart(parts []bookPart, p bookPart) []bookPart {
	for i := range parts {
		if parts[i].name == p.name {
			parts[i] = p
		}
	}
	return parts
}

// writeBook writes parts as a zip file named name in a fresh temporary folder.
func writeBook(t *testing.T, name string, parts []bookPart) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, p := range parts {
		var pw interface{ Write([]byte) (int, error) }
		var err error
		if p.raw != nil {
			pw, err = w.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc,
				CompressedSize64: uint64(len(p.raw)), UncompressedSize64: uint64(p.size)})
			if err == nil {
				_, err = pw.Write(p.raw)
			}
		} else {
			pw, err = w.Create(p.name)
			if err == nil {
				_, err = pw.Write([]byte(p.body))
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// sheet returns a sheet's XML with the given rows in its sheetData.
func sheet(rows ...string) string {
	return sheetStart + `<sheetData>` + strings.Join(rows, "") + `</sheetData></worksheet>`
}

// sst returns a shared strings table of the given texts (XML, not escaped).
func sst(texts ...string) string {
	return sstStart + `<si><t>` + strings.Join(texts, `</t></si><si><t>`) + `</t></si></sst>`
}

// row returns a row element of cells: "A1=text" an inline string, "A1#3" shared string 3,
// "A1:5" the number 5.
func row(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for _, c := range cells {
		if ref, v, ok := strings.Cut(c, "="); ok {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, v)
		} else if ref, v, ok := strings.Cut(c, "#"); ok {
			fmt.Fprintf(&b, `<c r="%s" t="s"><v>%s</v></c>`, ref, v)
		} else if ref, v, ok := strings.Cut(c, ":"); ok {
			fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, v)
		}
	}
	return b.String() + `</row>`
}

// bombSheet is a sheet part of n bytes that packs to about n/1000: one inline string cell of
// n bytes of "x".
func bombSheet(name string, n int64) bookPart {
	raw, size, crc := deflateBomb(sheetStart+`<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x`,
		`</t></is></c></row></sheetData></worksheet>`, n)
	return bookPart{name: name, raw: raw, size: size, crc: crc}
}

// TestXLSXHostile feeds the XLSX reader workbooks made to hurt it. Each either yields every row
// (those with a problem carry Row.Err naming the cell) or fails naming the file, the sheet and,
// where known, the row and cell where reading stopped: Open when the problem is found before any
// row is read, Next otherwise.
func TestXLSXHostile(t *testing.T) {
	header := row(1, "A1=Code", "B1=Name")
	tenMB := strings.Repeat("0123456789", 1<<20)
	wide := make([]string, 16384)
	for i := range wide {
		wide[i] = fmt.Sprintf("%s1=c%d", ColumnLetters(i), i+1)
	}
	// A part that declares 1 KiB but inflates to 64 MiB.
	liar := bombSheet("xl/worksheets/sheet1.xml", 64<<20)
	liar.size = 1 << 10
	// A sheet whose compressed data is cut in half, its directory entry intact.
	var cut bytes.Buffer
	fw, _ := flate.NewWriter(&cut, flate.DefaultCompression)
	body := sheet(header, row(2, "A2=S-1", "B2=x"))
	_, _ = fw.Write([]byte(body))
	_ = fw.Close()
	cutPart := bookPart{name: "xl/worksheets/sheet1.xml", raw: cut.Bytes()[:cut.Len()/2], size: int64(len(body)), crc: crc32.ChecksumIEEE([]byte(body))}

	tests := []struct {
		name     string
		parts    []bookPart
		lim      Limits
		sheet    string   // the sheet to read, "" for the active one
		want     []string // rows as renderXLSXRow renders them
		wantOpen string
		wantNext string
	}{
		// 1. Zip bombs and oversized workbooks, refused from the sizes the zip declares.
		{name: "zip bomb: a sheet of 1.5 GiB", parts: withPart(handBook("", ""), bombSheet("xl/worksheets/sheet1.xml", 3<<29)),
			wantOpen: "book.xlsx: xl/worksheets/sheet1.xml unpacks to 1610612959 bytes (1.5 GiB), more than the 1 GiB limit for one sheet's XML; refused as a possible zip bomb"},
		{name: "zip bomb: three sheets of 400 MiB", parts: func() []bookPart {
			p := handBook("", "", "", "")
			for i := 1; i <= 3; i++ {
				p = withPart(p, bombSheet(fmt.Sprintf("xl/worksheets/sheet%d.xml", i), 400<<20))
			}
			return p
		}(), wantOpen: "book.xlsx: the workbook unpacks to 1258293786 bytes (1.2 GiB), more than the 1 GiB limit for a whole workbook; refused as a possible zip bomb"},
		{name: "part that inflates beyond its declared size", parts: withPart(handBook("", ""), liar), wantOpen: "book.xlsx: not a readable XLSX workbook: its part xl/worksheets/sheet1.xml is damaged (zip: not a valid zip file): its data does not match the size or checksum the zip declares for it"},
		{name: "part whose compressed data is cut short", parts: withPart(handBook("", ""), cutPart), wantOpen: "book.xlsx: not a readable XLSX workbook: its part xl/worksheets/sheet1.xml is damaged (unexpected EOF): its data does not match the size or checksum the zip declares for it"},
		{name: "sheet over a lowered limit", parts: handBook("", sheet(header, row(2, "A2="+strings.Repeat("y", 4<<10)))),
			lim: Limits{SheetXMLBytes: 4 << 10}, wantOpen: "book.xlsx: xl/worksheets/sheet1.xml unpacks to 4437 bytes (4.3 KiB), more than the 4 KiB limit for one sheet's XML; refused as a possible zip bomb"},
		{name: "shared strings over a lowered limit", parts: handBook(sst(strings.Repeat("y", 4<<10)), sheet(header)),
			lim: Limits{SheetXMLBytes: 4 << 10}, wantOpen: "book.xlsx: xl/sharedStrings.xml unpacks to 4244 bytes (4.1 KiB), more than the 4 KiB limit for the shared strings; refused as a possible zip bomb"},
		{name: "workbook over a lowered limit", parts: handBook("", sheet(header), sheet(header), sheet(header)),
			lim: Limits{WorkbookBytes: 2 << 10}, wantOpen: "book.xlsx: the workbook unpacks to 2913 bytes (2.8 KiB), more than the 2 KiB limit for a whole workbook; refused as a possible zip bomb"},

		// 2. Malformed sheet XML, found without a dimension to compare with.
		{name: "cut inside the last row", parts: handBook("", sheetStart+`<sheetData>`+header+row(2, "A2=S-1", "B2=x")+`<row r="3"><c r="A3" t="inlineStr"><is><t>S-`),
			want: []string{"Data!2 dates=1 Code=S-1 Name=x"}, wantNext: "book.xlsx Data!A3: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 410: the XML ends in the middle of an element: is it cut short?); reading stopped before row 3"},
		{name: "last row broken off after its first cell", parts: handBook("", sheet(header, row(2, "A2=S-1", "B2=x"), row(3, "A3=S-2", "B3=bad&#0;"))),
			want: []string{"Data!2 dates=1 Code=S-1 Name=x"}, wantNext: "book.xlsx Data!B3: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 462: illegal character code U+0000); reading stopped before row 3"},
		{name: "garbage after the last row", parts: handBook("", sheetStart+`<sheetData>`+header+row(2, "A2=S-1", "B2=x")+`<oops></sheetData></worksheet>`),
			want: []string{"Data!2 dates=1 Code=S-1 Name=x"}, wantNext: `book.xlsx: sheet "Data" after row 2: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 384: element <oops> closed by </sheetData>); reading stopped after row 2`},
		{name: "sheetData never closed", parts: handBook("", sheetStart+`<sheetData>`+header+row(2, "A2=S-1", "B2=x")),
			want: []string{"Data!2 dates=1 Code=S-1 Name=x"}, wantNext: `book.xlsx: sheet "Data" after row 2: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 366: the XML ends in the middle of an element: is it cut short?); reading stopped after row 2`},
		{name: "malformed before the first row", parts: handBook("", sheetStart+`<sheetViews><sheetView></sheetViews><sheetData>`+header+`</sheetData></worksheet>`),
			wantOpen: `book.xlsx: sheet "Data": malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 169: element <sheetView> closed by </sheetViews>); no row was read`},
		{name: "rows out of order", parts: handBook("", sheet(header, row(5, "A5=S-5"), row(3, "A3=S-3"))), wantOpen: "book.xlsx Data!5: row 3 comes after row 5: the rows of the sheet's XML are out of order, which the format does not allow"},
		{name: "prefixes, comments and CDATA are no fault", parts: handBook("", xmlDecl+`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><!-- <row r="9"> -->`+
			`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Code</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t><![CDATA[<Name>]]></x:t></x:is></x:c></x:row>`+
			`<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>a &gt; b</x:t></x:is></x:c></x:row><!-- <row r="7"><c> --></x:sheetData></x:worksheet>`),
			want: []string{"Data!2 dates=1 Code=a > b <Name>="}},

		// 4. A 10 MB cell is an error of its row, which keeps it.
		{name: "10 MB inline string", parts: handBook("", sheet(header, row(2, "A2=S-1", "B2="+tenMB), row(3, "A3=S-2", "B3=ok"))),
			want: []string{"Data!2 dates=1 Code=S-1 Name=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890...(10485572 bytes)...3456789012345678901234567890123456789012345678901234567890123456789 ERR Data!B2: the cell holds 10485760 bytes, more than the 1 MiB limit for one cell", "Data!3 dates=1 Code=S-2 Name=ok"}},
		{name: "10 MB shared string", parts: handBook(sst("Code", "Name", tenMB), sheet(row(1, "A1#0", "B1#1"), row(2, "A2#2", "B2#1"))),
			want: []string{"Data!2 dates=1 Code=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789...(10485573 bytes)...345678901234567890123456789012345678901234567890123456789 Name=Name ERR Data!A2: the cell holds 10485760 bytes, more than the 1 MiB limit for one cell"}},
		{name: "2 MB beyond the header", parts: handBook("", sheet(header, row(2, "A2=S-1", "C2="+tenMB[:2<<20]))),
			want: []string{`Data!2 dates=1 Code=S-1 Name= ERR book.xlsx Data!2: cell C2 holds "012345678901234567890123456789012345678901234567890123456789"... (2097152 bytes) but the header has only 2 columns (A to B)`}},

		// 5. The widest header an XLSX sheet can have, and one over a lowered limit.
		{name: "16,384 columns", parts: handBook("", sheet(row(1, wide...), row(2, "XFD2:7"))), want: []string{"Data!2 dates=1 c1= c2= c3= c4= c5= c6= c7= c8= c9= c10= c11= c12= c13= c14= c15= c16= c17= c18= c19= c20= c21= c22= c23= c24= c25= c26= c27= c28= c29=...(119681 bytes)...6366= c16367= c16368= c16369= c16370= c16371= c16372= c16373= c16374= c16375= c16376= c16377= c16378= c16379= c16380= c16381= c16382= c16383= c16384=7"}},
		{name: "columns over a lowered limit", parts: handBook("", sheet(row(1, wide[:11]...))), lim: Limits{Columns: 10}, wantOpen: "book.xlsx Data!1: the header has 11 columns, more than the limit of 10"},

		// 6. Invalid UTF-8 and damaged shared strings, named at the first cell that reads them.
		{name: "invalid UTF-8 in a shared string", parts: handBook(sst("Code", "Name", "Sm\xf8r"), sheet(row(1, "A1#0", "B1#1"), row(2, "A2#0", "B2#1"), row(3, "A3#0", "B3#2"))),
			wantOpen: "book.xlsx Data!B3: malformed shared strings (xl/sharedStrings.xml, line 1, column 178: invalid UTF-8): the cell's text cannot be read"},
		{name: "damaged shared string no cell reads", parts: handBook(sst("Code", "Name", "Sm\xf8r"), sheet(row(1, "A1#0", "B1#1"))),
			wantOpen: `book.xlsx: sheet "Data": malformed shared strings (xl/sharedStrings.xml, line 1, column 178: invalid UTF-8): no cell of the sheet can be read`},
		{name: "shared strings in a declared encoding", parts: handBook(`<?xml version="1.0" encoding="ISO-8859-1"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Code</t></si><si><t>Name</t></si><si><t>Sm`+"\xf8"+`r</t></si></sst>`,
			sheet(row(1, "A1#0", "B1#1"), row(2, "A2#2", "B2#2"))),
			want: []string{"Data!2 dates=1 Code=Smør Name=Smør"}},
		{name: "sheet in a declared encoding", parts: handBook("", `<?xml version="1.0" encoding="ISO-8859-1"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+header+row(2, "A2=Sm\xf8r")+`</sheetData></worksheet>`),
			want: []string{"Data!2 dates=1 Code=Smør Name="}},
		{name: "invalid UTF-8 in an inline string", parts: handBook("", sheet(header, row(2, "A2=S-1", "B2=x"), row(3, "A3=S-2", "B3=Sm\xf8r"), row(4, "A4=S-3"))),
			want: []string{"Data!2 dates=1 Code=S-1 Name=x"}, wantNext: "book.xlsx Data!B3: malformed sheet XML (xl/worksheets/sheet1.xml, line 1, column 459: invalid UTF-8); reading stopped before row 3"},
		{name: "shared string that does not exist", parts: handBook(sst("Code", "Name"), sheet(row(1, "A1#0", "B1#1"), row(2, "A2#0", "B2#7"))),
			wantOpen: "book.xlsx Data!B2: the cell refers to shared string 7, but the workbook's table has 2 (0 to 1)"},
		{name: "shared string index that is not a number", parts: handBook(sst("Code", "Name"), sheet(row(1, "A1#0", "B1#1"), row(2, "A2#one", "B2#1"))),
			wantOpen: `book.xlsx Data!A2: the cell is a shared string, but its value "one" is not the number of one: the sheet's XML is malformed`},

		// 7. A cell whose value contradicts its type is an error of its row, which is kept.
		{name: "boolean that is neither 1 nor 0", parts: handBook("", sheet(header, `<row r="2"><c r="A2" t="inlineStr"><is><t>S-1</t></is></c><c r="B2" t="b"><v>2</v></c></row>`, row(3, "A3=S-2"))),
			want: []string{`Data!2 dates=1 Code=S-1 Name= ERR Data!B2: the cell is a boolean, but its value "2" is neither 1 nor 0: the sheet's XML is malformed`, "Data!3 dates=1 Code=S-2 Name="}},
		{name: "number that is none", parts: handBook("", sheet(header, `<row r="2"><c r="A2"><v>12,5</v></c></row>`)),
			want: []string{`Data!2 dates=1 Code= Name= ERR Data!A2: the cell is a number, but its value "12,5" is not one: the sheet's XML is malformed`}},
		{name: "cell of an unknown type", parts: handBook("", sheet(header, `<row r="2"><c r="C2" t="x"><v>1</v></c></row>`)),
			want: []string{`Data!2 dates=1 Code= Name= ERR book.xlsx Data!2: cell C2: the cell has the unknown type "x"`}},
		{name: "chart sheet", parts: func() []bookPart {
			p := handBook("", sheet(header), `<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><drawing/></chartsheet>`)
			for i := range p {
				if p[i].name == "xl/_rels/workbook.xml.rels" {
					p[i].body = strings.Replace(p[i].body, `relationships/worksheet" Target="worksheets/sheet2.xml"`, `relationships/chartsheet" Target="worksheets/sheet2.xml"`, 1)
				}
			}
			return p
		}(), sheet: "Data2", wantOpen: `book.xlsx: sheet "Data2": it is a chart sheet, which holds no cells to read (the workbook has "Data", "Data2")`},
		{name: "shared string without a table", parts: handBook("", sheet(header, row(2, "A2#0"))),
			wantOpen: "book.xlsx Data!A2: the cell refers to shared string 0, but the workbook has no shared strings table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeBook(t, "book.xlsx", tt.parts)
			s, err := openXLSX(&spec.Source{Name: "test", Path: "book.xlsx", File: file, Sheet: tt.sheet}, tt.lim)
			if !opened(t, s, err, tt.wantOpen) {
				return
			}
			rows, err := readToError(t, s)
			var got []string
			for _, r := range rows {
				got = append(got, excerptLine(renderXLSXRow(r)))
			}
			checkLines(t, got, tt.want)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantNext {
				t.Errorf("reading ended with\n %q\nwant %q", gotErr, tt.wantNext)
			}
		})
	}
}

// excerptLine shortens a rendered row that holds a huge value.
func excerptLine(s string) string {
	if len(s) <= 300 {
		return s
	}
	return s[:150] + fmt.Sprintf("...(%d bytes)...", len(s)-300) + s[len(s)-150:]
}

func TestLimitsValidate(t *testing.T) {
	_, err := OpenWithLimits(&spec.Source{Path: "x.xlsx", File: "x.xlsx"}, Limits{CellBytes: -1, Columns: -2})
	want := "x.xlsx: readers.Limits.CellBytes is -1: must be 0 (the default) or more\nreaders.Limits.Columns is -2: must be 0 (the default) or more"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if got := (Limits{CellBytes: 7}).withDefaults(); got.CellBytes != 7 || got.Columns != 16384 || got.WorkbookBytes != 1<<30 {
		t.Errorf("withDefaults: %+v", got)
	}
}

// The scan of a sheet's XML finds the same whatever the size of the blocks it reads, so cut at
// every place: the last row, whether sheetData ends, the first row after the header in which each
// column holds a value, and a reference to a shared string that is not there.
func TestScanSheetBlocks(t *testing.T) {
	table := sharedStrings{part: "xl/sharedStrings.xml", count: 3}
	body := `<!-- a comment with <row r="99"> in it --><x:sheetData xmlns:x="ns">` +
		`<x:row r="1" spans='1:3' note="a>b"><x:c r="A1" t="s"><x:v> 2 </x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t><![CDATA[</x:sheetData> <row>]]></x:t></x:is></x:c></x:row>` +
		strings.Repeat(`<x:row><x:c t="s"><x:v>1</x:v></x:c><x:c><x:v>3.5</x:v></x:c></x:row>`, 40) +
		`<?pi <row r="100"> ?><x:row r="50"><x:c r="C50" t="s"><x:v>0</x:v></x:c></x:row>`
	tests := []struct {
		name    string
		xml     string
		lastRow int
		closed  bool
		wantErr string
	}{
		{name: "well formed", xml: body + `</x:sheetData><x:pageMargins/></x:worksheet>`, lastRow: 50, closed: true},
		{name: "cut short", xml: body[:len(body)-20], lastRow: 50},
		{name: "shared string beyond the table", xml: strings.Replace(body, `<x:v>0</x:v>`, `<x:v>3</x:v>`, 1) + `</x:sheetData>`,
			wantErr: "the cell refers to shared string 3, but the workbook's table has 3 (0 to 2)"},
	}
	defer func(size int) { scanBlockSize = size }(scanBlockSize)
	for _, tt := range tests {
		for _, size := range []int{7, 64, 1000, 256 << 10} {
			t.Run(fmt.Sprintf("%s/%d", tt.name, size), func(t *testing.T) {
				scanBlockSize = size
				scan, err := scanSheet(strings.NewReader(xmlDecl+`<x:worksheet>`+tt.xml), table, 1)
				if tt.wantErr != "" {
					if err == nil || err.Error() != tt.wantErr {
						t.Fatalf("error %v, want %q", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				// A holds a value from row 2 on, B too, C only in row 50.
				if scan.lastRow != tt.lastRow || scan.closed != tt.closed || fmt.Sprint(scan.dataFrom) != "[2 2 50]" {
					t.Errorf("last row %d, closed %v, data from %v; want %d, %v, [2 2 50]", scan.lastRow, scan.closed, scan.dataFrom, tt.lastRow, tt.closed)
				}
			})
		}
	}
}
