package readers

import (
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/bulkload/bulkload/spec"
)

// csvWantRow is a row as a test expects it: its line, its values, and its error text ("" for none).
type csvWantRow struct {
	line   int
	values []string
	err    string
}

// openCSVContent writes content to a file named name in a fresh temporary folder and opens it
// with the given source settings, as a spec would name it (Path) and resolve it (File).
func openCSVContent(t *testing.T, name string, content []byte, src spec.Source) (Source, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	src.Name, src.Path, src.File = "test", name, file
	return OpenCSV(&src)
}

// checkCSVRows compares rows with want, including each row's origin, columns and error text.
func checkCSVRows(t *testing.T, file string, rows []Row, columns []string, want []csvWantRow) {
	t.Helper()
	for i := 0; i < len(rows) || i < len(want); i++ {
		if i >= len(rows) {
			t.Errorf("row %d missing; want line %d %q", i, want[i].line, want[i].values)
			continue
		}
		got := rows[i]
		if i >= len(want) {
			t.Errorf("extra row %d: line %d %q (err %v)", i, got.Origin.Line, got.Values, got.Err)
			continue
		}
		w := want[i]
		if got.Origin != (Origin{File: file, Line: w.line}) {
			t.Errorf("row %d: origin %+v, want %s:%d", i, got.Origin, file, w.line)
		}
		if !reflect.DeepEqual(got.Columns, columns) {
			t.Errorf("row %d: columns %q, want %q", i, got.Columns, columns)
		}
		values := make([]string, len(got.Values))
		for j, v := range got.Values {
			s, ok := v.(string)
			if !ok {
				t.Errorf("row %d: value %d is %T, want string", i, j, v)
			}
			values[j] = s
		}
		if !reflect.DeepEqual(values, w.values) {
			t.Errorf("row %d (line %d): values %q, want %q", i, w.line, values, w.values)
		}
		if got.Dates != NoSerialDates {
			t.Errorf("row %d: Dates %v, want NoSerialDates", i, got.Dates)
		}
		gotErr := ""
		if got.Err != nil {
			gotErr = got.Err.Error()
			var re *RowError
			if !errors.As(got.Err, &re) {
				t.Errorf("row %d: Err is %T, want *RowError", i, got.Err)
			} else if re.Origin != got.Origin {
				t.Errorf("row %d: RowError origin %+v, want the row's %+v", i, re.Origin, got.Origin)
			}
		}
		if gotErr != w.err {
			t.Errorf("row %d (line %d): err %q, want %q", i, w.line, gotErr, w.err)
		}
	}
}

// utf16WithBOM encodes s as UTF-16 with a byte order mark, independently of the decoder under test.
func utf16WithBOM(s string, order binary.AppendByteOrder) []byte {
	units := append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...)
	b := make([]byte, 0, 2*len(units))
	for _, u := range units {
		b = order.AppendUint16(b, u)
	}
	return b
}

func TestOpenCSVRows(t *testing.T) {
	abc := []string{"a", "b", "c"}
	tests := []struct {
		name      string
		content   string
		delimiter string
		encoding  string
		headerRow int
		columns   []string
		rows      []csvWantRow
	}{
		{name: "comma declared", content: "a,b,c\n1,2,3\n", delimiter: ",", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}}},
		{name: "semicolon declared", content: "a;b;c\n1,5;2;3\n", delimiter: ";", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1,5", "2", "3"}}}},
		{name: "tab declared as a tab", content: "a\tb\tc\n1\t2 2\t3\n", delimiter: "\t", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2 2", "3"}}}},
		{name: "tab declared as backslash t", content: "a\tb\tc\n1\t2\t3\n", delimiter: `\t`, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}}},
		{name: "pipe declared", content: "a|b|c\n1|2,5|3\n", delimiter: "|", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2,5", "3"}}}},
		{name: "declared delimiter wins over the header's", content: "a;b,c\n1;2,3\n", delimiter: ";",
			columns: []string{"a", "b,c"}, rows: []csvWantRow{{line: 2, values: []string{"1", "2,3"}}}},
		{name: "comma detected", content: "a,b,c\n1;1,2,3\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1;1", "2", "3"}}}},
		{name: "semicolon detected", content: "a;b;c\n1,5;2;3\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1,5", "2", "3"}}}},
		{name: "tab detected", content: "a\tb\tc\n1\t2,5\t3\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2,5", "3"}}}},
		{name: "pipe detected", content: "a|b|c\n1|2;5|3\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2;5", "3"}}}},
		{name: "detection ignores quoted delimiters", content: "\"x,y,z\";b;c\n1;2;3\n", columns: []string{"x,y,z", "b", "c"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}}},
		{name: "detection tie gives comma", content: "a;b,c\n1;2,3\n", columns: []string{"a;b", "c"},
			rows: []csvWantRow{{line: 2, values: []string{"1;2", "3"}}}},
		{name: "single column detected as comma", content: "produkt\nSkuffe; stor\n", columns: []string{"produkt"},
			rows: []csvWantRow{{line: 2, values: []string{"Skuffe; stor"}}}},
		{name: "RFC 4180 quoting", content: "a,b,c\n\"1,5\",\"say \"\"hi\"\"\",\"\"\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1,5", `say "hi"`, ""}}}},
		{name: "newline inside quotes", content: "a,b,c\n1,\"two\nlines\",3\n2,\"three\r\nmore\nlines\",4\n3,x,y\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "two\nlines", "3"}},
				{line: 4, values: []string{"2", "three\r\nmore\nlines", "4"}},
				{line: 7, values: []string{"3", "x", "y"}},
			}},
		{name: "CRLF and no final line break", content: "a,b,c\r\n1,2,3\r\n4,5,6", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}, {line: 3, values: []string{"4", "5", "6"}}}},
		{name: "header only", content: "a,b,c\n", columns: abc},
		{name: "UTF-8 BOM stripped", content: "\uFEFFa;b;c\n1;2;3\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}}},
		{name: "UTF-8 BOM wins over a declared encoding", content: "\uFEFFa;b;c\nø;2;3\n", encoding: "windows-1252", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"ø", "2", "3"}}}},
		{name: "UTF-16 LE with BOM", content: string(utf16WithBOM("a;b;c\r\nBlåbær;😀;3\r\n", binary.LittleEndian)), columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"Blåbær", "😀", "3"}}}},
		{name: "UTF-16 BE with BOM", content: string(utf16WithBOM("a\tb\tc\n1\tÆØÅ\t\"x\ny\"\n2\t\t\n", binary.BigEndian)), columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "ÆØÅ", "x\ny"}}, {line: 4, values: []string{"2", "", ""}}}},
		{name: "UTF-16 BOM wins over a declared encoding", content: string(utf16WithBOM("a,b,c\næ,ø,å\n", binary.LittleEndian)),
			encoding: "iso-8859-1", columns: abc, rows: []csvWantRow{{line: 2, values: []string{"æ", "ø", "å"}}}},
		{name: "windows-1252 Norwegian", content: "a;b;c\n\xe6\xf8\xe5;\xc6\xd8\xc5;100 \x80\n", encoding: "windows-1252", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"æøå", "ÆØÅ", "100 €"}}}},
		{name: "cp1252 name in capitals", content: "a;b;c\n\xe6;\xd8;\x96\n", encoding: "CP1252", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"æ", "Ø", "–"}}}},
		{name: "iso-8859-1", content: "a,b,c\n\xc5se,Troms\xf8,\xe6\n", encoding: "ISO-8859-1", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"Åse", "Tromsø", "æ"}}}},
		{name: "latin1", content: "a,b,c\n\xc5,\xd8,\xe6\n", encoding: "latin1", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"Å", "Ø", "æ"}}}},
		{name: "header row offset ignores what is above it", content: "Export 03.11.2026\n\"unterminated, title\n\na|b|c\n1|2|3\n", headerRow: 4,
			columns: abc, rows: []csvWantRow{{line: 5, values: []string{"1", "2", "3"}}}},
		{name: "header after a title and blank lines", content: "title\n\n\na,b,c\n1,2,3\n", headerRow: 4,
			columns: abc, rows: []csvWantRow{{line: 5, values: []string{"1", "2", "3"}}}},
		{name: "blank lines skipped", content: "\n\na;b;c\n\n1;2;3\n;;;\n   \n \t; ;\n\r\n4;5;6\n\n", headerRow: 3, columns: abc,
			rows: []csvWantRow{{line: 5, values: []string{"1", "2", "3"}}, {line: 10, values: []string{"4", "5", "6"}}}},
		{name: "ragged rows", content: "a,b,c\n1,2,3,4\n5,6\n7,8,9\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "2", "3", "4"}, err: "data.csv:2: has 4 fields, the header has 3"},
				{line: 3, values: []string{"5", "6"}, err: "data.csv:3: has 2 fields, the header has 3"},
				{line: 4, values: []string{"7", "8", "9"}},
			}},
		{name: "ragged single field", content: "a,b,c\nx\n", columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"x"}, err: "data.csv:2: has 1 field, the header has 3"}}},
		{name: "invalid UTF-8", content: "a,b,c\n1,Sm\xf8reolje,3\n4,5,6\n7,Å,9\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "Sm\xf8reolje", "3"}, err: "data.csv:2:b: " + invalidUTF8Msg},
				{line: 3, values: []string{"4", "5", "6"}},
				{line: 4, values: []string{"7", "Å", "9"}},
			}},
		{name: "bare quote", content: "a,b,c\n1,5\" pipe,3\n4,5,6\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1"}, err: `data.csv:2:b: bare " in an unquoted field (line 2, byte 4); quote the whole field and double the quotes inside it, as in "5"" pipe"`},
				{line: 3, values: []string{"4", "5", "6"}},
			}},
		{name: "text after a closing quote", content: "a,b,c\n1,\"x\ny\"z,3\n4,5,6\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1"}, err: `data.csv:2:b: extraneous or missing " in a quoted field (line 3, byte 2); a quoted field must end with " followed by the delimiter or the end of the line`},
				{line: 4, values: []string{"4", "5", "6"}},
			}},
		{name: "unterminated quote", content: "a,b,c\n1,2,3\n4,5,\"6\n7,8,9\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "2", "3"}},
				{line: 3, values: []string{"4", "5"}, err: `data.csv:3:c: extraneous or missing " in a quoted field (line 4, byte 7); a quoted field must end with " followed by the delimiter or the end of the line; the quoted field that starts on line 3 runs to the end of the file: is its closing " missing?`},
			}},
		{name: "quote error lines are physical after a header offset", content: "junk\na,b,c\n1,x\"y,3\n", headerRow: 2, columns: abc,
			rows: []csvWantRow{
				{line: 3, values: []string{"1"}, err: `data.csv:3:b: bare " in an unquoted field (line 3, byte 4); quote the whole field and double the quotes inside it, as in "5"" pipe"`},
			}},
		{name: "NUL bytes", content: "a,b,c\n\x00,x\x00y,\n3,4,5\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"\x00", "x\x00y", ""}, err: "data.csv:2:a: " + nulMsg},
				{line: 3, values: []string{"3", "4", "5"}},
			}},
		{name: "header names keep their spaces", content: " a ,b,c\n1,2,3\n", columns: []string{" a ", "b", "c"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openCSVContent(t, "data.csv", []byte(tt.content), spec.Source{Delimiter: tt.delimiter, Encoding: tt.encoding, HeaderRow: tt.headerRow})
			if err != nil {
				t.Fatalf("OpenCSV: %v", err)
			}
			checkCSVRows(t, "data.csv", readAll(t, s), tt.columns, tt.rows)
		})
	}
}

func TestOpenCSVTestdata(t *testing.T) {
	tests := []struct {
		file      string
		delimiter string
		encoding  string
		headerRow int
		columns   []string
		rows      []csvWantRow
	}{
		{file: "ordrelinjer-cp1252.csv", delimiter: ";", encoding: "windows-1252",
			columns: []string{"Ordrenr", "Produkt", "Beskrivelse", "Antall"},
			rows: []csvWantRow{
				{line: 2, values: []string{"10001", "Smøreolje", "Fat à 200 l, blå", "4"}},
				{line: 3, values: []string{"10002", "Påhengsmotor", `ÆØÅ æøå; "ekstra"`, "1,5"}},
				{line: 4, values: []string{"10003", "Skuffe", "Pris 100 €", "2"}},
			}},
		{file: "ordrelinjer-cp1252.csv", encoding: "cp1252", // detected delimiter
			columns: []string{"Ordrenr", "Produkt", "Beskrivelse", "Antall"},
			rows: []csvWantRow{
				{line: 2, values: []string{"10001", "Smøreolje", "Fat à 200 l, blå", "4"}},
				{line: 3, values: []string{"10002", "Påhengsmotor", `ÆØÅ æøå; "ekstra"`, "1,5"}},
				{line: 4, values: []string{"10003", "Skuffe", "Pris 100 €", "2"}},
			}},
		{file: "latin1.csv", encoding: "latin1", columns: []string{"navn", "by"},
			rows: []csvWantRow{{line: 2, values: []string{"Åse", "Tromsø"}}, {line: 3, values: []string{"Øyvind", "Ålesund"}}}},
		{file: "utf16le-bom.csv", columns: []string{"id", "navn"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "Blåbær"}}, {line: 3, values: []string{"2", "Gul, ✓"}}}},
		{file: "utf16be-bom.csv", encoding: "windows-1252", columns: []string{"id", "navn"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "Blåbær"}}, {line: 3, values: []string{"2", "😀"}}}},
		{file: "bom-utf8.csv", columns: []string{"id", "name"}, rows: []csvWantRow{{line: 2, values: []string{"1", "Kari"}}}},
		{file: "quoted.csv", columns: []string{"id", "note", "qty"},
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "a, b", "2"}},
				{line: 3, values: []string{"2", "line one\nline two\nline three", "3"}},
				{line: 6, values: []string{"3", `say "hi"`, "4"}},
			}},
		{file: "tab.csv", columns: []string{"id", "name"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "Kari"}}, {line: 3, values: []string{"2", "Ola"}}}},
		{file: "header-offset.csv", headerRow: 4, columns: []string{"id", "name", "qty"},
			rows: []csvWantRow{
				{line: 5, values: []string{"1", "Kari", "2"}},
				{line: 8, values: []string{"2", "Ola", "3", "extra"}, err: "testdata/csv/header-offset.csv:8: has 4 fields, the header has 3"},
				{line: 9, values: []string{"3", "Per"}, err: "testdata/csv/header-offset.csv:9: has 2 fields, the header has 3"},
			}},
		{file: "bad-rows.csv", columns: []string{"id", "name", "qty"},
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "Kari", "2"}},
				{line: 3, values: []string{"2"}, err: `testdata/csv/bad-rows.csv:3:name: extraneous or missing " in a quoted field (line 3, byte 8); a quoted field must end with " followed by the delimiter or the end of the line`},
				{line: 4, values: []string{"3", "Per", "\xe6"}, err: "testdata/csv/bad-rows.csv:4:qty: " + invalidUTF8Msg},
				{line: 5, values: []string{"4", "Nils", "5"}},
				{line: 6, values: []string{"5", "Åse", "6"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.encoding, func(t *testing.T) {
			path := "testdata/csv/" + tt.file
			abs, err := filepath.Abs(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := OpenCSV(&spec.Source{Name: "t", Path: path, File: abs, Delimiter: tt.delimiter, Encoding: tt.encoding, HeaderRow: tt.headerRow})
			if err != nil {
				t.Fatalf("OpenCSV: %v", err)
			}
			checkCSVRows(t, path, readAll(t, s), tt.columns, tt.rows)
		})
	}
}

func TestOpenCSVErrors(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		delimiter string
		encoding  string
		headerRow int
		want      string
	}{
		{name: "empty column name", content: "a,b,,d\n1,2,3,4\n", want: "data.csv:1: column 3: empty column name"},
		{name: "blank column name", content: "a; ;c\n", want: "data.csv:1: column 2: empty column name"},
		{name: "trailing delimiter", content: "a;b;c;\n", want: "data.csv:1: column 4: empty column name"},
		{name: "duplicate column name", content: "id,qty,x,y,qty\n", want: `data.csv:1: column 5 "qty": duplicate column name (also column 2)`},
		{name: "every problem at once", content: "a,,a,,a\n", want: "data.csv:1: column 2: empty column name\n" +
			`data.csv:1: column 3 "a": duplicate column name (also column 1)` + "\n" +
			"data.csv:1: column 4: empty column name\n" +
			`data.csv:1: column 5 "a": duplicate column name (also column 1)`},
		{name: "header line is physical", content: "junk\n\nid,id\n", headerRow: 3, want: `data.csv:3: column 2 "id": duplicate column name (also column 1)`},
		{name: "header after blank lines", content: "\n\n;;\na;;c\n", headerRow: 4, want: "data.csv:4: column 2: empty column name"},
		{name: "invalid UTF-8 in the header", content: "a,Sm\xf8r\nÆ,1\n", want: "data.csv:1: column 2: " + strings.Replace(invalidUTF8Msg, "the cell", "the name", 1)},
		{name: "a windows-1252 file read as UTF-8", content: "a;b\r\n1;ok\r\n2;Kj\xf8ling\r\n",
			want: `data.csv:3: the file is not UTF-8 (the encoding read when none is declared): line 3 holds the byte 0xF8, and no character of the file is UTF-8; it seems to be windows-1252, which reads that line as "2;Kjøling"; declare encoding: windows-1252 (or iso-8859-1)`},
		{name: "a UTF-8 file declared windows-1252", content: "a;b\n1;ok\n2;Kjøling\n", encoding: "windows-1252",
			want: `data.csv:3: the file is declared windows-1252, but it is UTF-8: line 3 reads "2;Kjøling" as UTF-8 and would be sent as "2;KjÃ¸ling"; declare encoding: utf-8`},
		{name: "a UTF-8 file declared iso-8859-1", content: "a;b\n1;Å\n", encoding: "latin1",
			want: `data.csv:2: the file is declared iso-8859-1, but it is UTF-8: line 2 reads "1;Å" as UTF-8 and would be sent as "1;Ã\u0085"; declare encoding: utf-8`},
		{name: "bare quote in the header", content: "a,b\"c\n", want: `data.csv:1: header: bare " in an unquoted field (line 1, byte 4); quote the whole field and double the quotes inside it, as in "5"" pipe"`},
		{name: "empty file", content: "", want: "data.csv: no header: the file is empty"},
		{name: "blank header_row names the next non-blank line", content: "title\n\n\na,b,c\n1,2,3\n", headerRow: 2,
			want: "data.csv:2: no header: line 2 (header_row) is blank; the first non-blank line after it is line 4: set header_row: 4 if that line holds the column names"},
		{name: "blank first line is not skipped", content: "\na,b\n1,2\n",
			want: "data.csv:1: no header: line 1 (header_row) is blank; the first non-blank line after it is line 2: set header_row: 2 if that line holds the column names"},
		{name: "header line of delimiters and spaces", content: " ; ;\r\na;b\r\n",
			want: "data.csv:1: no header: line 1 (header_row) is blank; the first non-blank line after it is line 2: set header_row: 2 if that line holds the column names"},
		{name: "blank header_row and nothing after it", content: "title\n  \n\n", headerRow: 2,
			want: "data.csv: no header: line 2 (header_row) and the lines after it are blank or missing"},
		{name: "BOM only", content: "\uFEFF", want: "data.csv: no header: the file is empty"},
		{name: "blank lines only", content: "\n\r\n,,,\n  \n", want: "data.csv: no header: the file has only blank lines"},
		{name: "blank lines only, delimiter declared", content: "\n;;;\n", delimiter: ";", want: "data.csv: no header: the file has only blank lines"},
		{name: "header row beyond the end", content: "a\nb", headerRow: 5, want: "data.csv: no header: header_row is 5 but the file has only 2 lines"},
		{name: "header row on blank lines", content: "a\n\n\n", headerRow: 2, want: "data.csv: no header: line 2 (header_row) and the lines after it are blank or missing"},
		{name: "header row just past the end", content: "a\nb", headerRow: 3, want: "data.csv: no header: line 3 (header_row) and the lines after it are blank or missing"},
		{name: "negative header row", content: "a\n", headerRow: -1, want: "data.csv: header_row -1: must be 1 or more"},
		{name: "unknown encoding", content: "a\n", encoding: "ebcdic",
			want: `data.csv: unknown encoding "ebcdic"; use one of utf-8, utf-16, utf-16le, utf-16be, windows-1252, cp1252, iso-8859-1, latin1`},
		{name: "unsupported delimiter", content: "a:b\n", delimiter: ":",
			want: `data.csv: delimiter ":" is not supported; use one of ",", ";", "\t" (tab) or "|", or leave it out to detect it from the header line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openCSVContent(t, "data.csv", []byte(tt.content), spec.Source{Delimiter: tt.delimiter, Encoding: tt.encoding, HeaderRow: tt.headerRow})
			if err == nil {
				_ = s.Close()
				t.Fatalf("OpenCSV succeeded, want error %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n%s\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestOpenCSVMissingFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing.csv")
	_, err := OpenCSV(&spec.Source{Path: "missing.csv", File: file})
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "missing.csv: ") {
		t.Errorf("error %v, want one that names missing.csv and is fs.ErrNotExist", err)
	}
}

func TestCSVContextCancel(t *testing.T) {
	s, err := openCSVContent(t, "data.csv", []byte("a\n1\n2\n3\n"), spec.Source{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	row, err := s.Next(ctx)
	if err != nil || row.Origin.Line != 2 {
		t.Fatalf("first Next: line %d, %v", row.Origin.Line, err)
	}
	cancel()
	if _, err := s.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after cancel: %v, want context.Canceled", err)
	}
	// The source is not spoiled: a live context reads on from where it stopped.
	row, err = s.Next(context.Background())
	if err != nil || row.Origin.Line != 3 {
		t.Errorf("Next with a live context: line %d, %v; want line 3", row.Origin.Line, err)
	}
}

func TestCSVClose(t *testing.T) {
	s, err := openCSVContent(t, "data.csv", []byte("a\n1\n"), spec.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Next(context.Background()); err == nil || err.Error() != "data.csv: read after Close" {
		t.Errorf("Next after Close: %v", err)
	}
}

// TestCSVLarge checks that lines longer than the read buffers are read whole: a 10 MB cell (when
// the limits allow it; see TestCSVHostile for the default), and a long line above the header,
// which is no record and so under no limit.
func TestCSVLarge(t *testing.T) {
	big := strings.Repeat("x\n;", 10<<20/3)
	tests := []struct {
		name      string
		content   string
		headerRow int
		lim       Limits
		columns   []string
		rows      []csvWantRow
	}{
		{name: "10 MB quoted cell", content: "a;b\n1;\"" + big + "\"\n2;3\n", lim: Limits{CellBytes: 16 << 20},
			columns: []string{"a", "b"},
			rows:    []csvWantRow{{line: 2, values: []string{"1", big}}, {line: 3 + strings.Count(big, "\n"), values: []string{"2", "3"}}}},
		{name: "10 MB line above the header", content: strings.ReplaceAll(big, "\n", " ") + "\na,b\n1,2\n", headerRow: 2, columns: []string{"a", "b"},
			rows: []csvWantRow{{line: 3, values: []string{"1", "2"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openCSVLimits(t, "data.csv", []byte(tt.content), spec.Source{HeaderRow: tt.headerRow}, tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			checkCSVRows(t, "data.csv", readAll(t, s), tt.columns, tt.rows)
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name string
		text string
		want rune
	}{
		{name: "comma", text: "a,b,c\n1;2;3;4;5\n", want: ','},
		{name: "semicolon", text: "a;b;c,d\n", want: ';'},
		{name: "tab", text: "a\tb\tc\n", want: '\t'},
		{name: "pipe", text: "a|b|c;d", want: '|'},
		{name: "empty", text: "", want: ','},
		{name: "single column", text: "name\n1;2;3\n", want: ','},
		{name: "tie prefers comma", text: "a;b,c|d\n", want: ','},
		{name: "tie prefers semicolon over tab and pipe", text: "a;b\tc|d\n", want: ';'},
		{name: "quoted delimiters do not count", text: `"a,b,c";d;e` + "\n", want: ';'},
		{name: "quoted header spanning lines", text: "\"a\nb,c,d\";e;f\n1,2,3,4,5\n", want: ';'},
		{name: "blank and delimiter-only lines skipped", text: "\n,,,,\n \t \r\na;b\n", want: ';'},
		{name: "no line break", text: "a|b", want: '|'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectDelimiter([]byte(tt.text)); got != tt.want {
				t.Errorf("detectDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestOpenLookup(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "produkttyper.csv")
	if err := os.WriteFile(file, []byte("produkt;type\r\nSm\xf8reolje;Consumable\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := OpenLookup(&spec.Lookup{Name: "product_types", Path: "produkttyper.csv", File: file, Encoding: "windows-1252"})
	if err != nil {
		t.Fatal(err)
	}
	checkCSVRows(t, "produkttyper.csv", readAll(t, s), []string{"produkt", "type"},
		[]csvWantRow{{line: 2, values: []string{"Smøreolje", "Consumable"}}})
}
