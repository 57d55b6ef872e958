package readers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// TestEncodingOfTheWholeFile opens the encoding fixtures of testdata/headers and files whose
// telling bytes lie far into the file, across the scan's chunks: a declared encoding that the
// file does not have is one error at open, naming the first telling line.
func TestEncodingOfTheWholeFile(t *testing.T) {
	pad := strings.Repeat("1;plain ASCII text of a row\n", scanChunk/28+1) // past the first chunk
	// A 'ø' (C3 B8) cut by the chunk boundary.
	cut := "a;b\n" + strings.Repeat("x", scanChunk-len("a;b\n")-1) + "\u00f8\n"
	tests := []struct {
		name     string
		file     string // a fixture of testdata/headers, or
		content  string // the file's bytes
		encoding string
		want     string // Open's error; "" for none
	}{
		{name: "UTF-8 declared windows-1252", file: "utf8-declared-cp1252.csv", encoding: "windows-1252",
			want: `utf8-declared-cp1252.csv:3: the file is declared windows-1252, but it is UTF-8: line 3 reads "10002;Kjøling og frys" as UTF-8 and would be sent as "10002;KjÃ¸ling og frys"; declare encoding: utf-8`},
		{name: "UTF-8 read as UTF-8", file: "utf8-declared-cp1252.csv"},
		{name: "windows-1252 read as UTF-8", file: "cp1252-read-as-utf8.csv",
			want: `cp1252-read-as-utf8.csv:3: the file is not UTF-8 (the encoding read when none is declared): line 3 holds the byte 0xF8, and no character of the file is UTF-8; it seems to be windows-1252, which reads that line as "10002;Kjøling"; declare encoding: windows-1252 (or iso-8859-1)`},
		{name: "windows-1252 declared", file: "cp1252-read-as-utf8.csv", encoding: "windows-1252"},
		{name: "UTF-8 far into a file declared windows-1252", content: "a;b\n" + pad + "2;Blåbær\n", encoding: "cp1252",
			want: `data.csv:9365: the file is declared windows-1252, but it is UTF-8: line 9365 reads "2;Blåbær" as UTF-8 and would be sent as "2;BlÃ¥bÃ¦r"; declare encoding: utf-8`},
		{name: "windows-1252 far into a file read as UTF-8", content: "a;b\n" + pad + "2;Bl\xe5b\xe6r\n",
			want: `data.csv:9365: the file is not UTF-8 (the encoding read when none is declared): line 9365 holds the byte 0xE5, and no character of the file is UTF-8; it seems to be windows-1252, which reads that line as "2;Blåbær"; declare encoding: windows-1252 (or iso-8859-1)`},
		{name: "a character cut by the chunk boundary is whole", content: cut, encoding: "windows-1252",
			want: `data.csv:2: the file is declared windows-1252, but it is UTF-8: line 2 reads "ø" as UTF-8 and would be sent as "Ã¸"; declare encoding: utf-8`}, // the line's text from where the chunk starts
		{name: "a UTF-8 byte order mark decides", content: "\uFEFFa;b\n1;Blåbær\n", encoding: "windows-1252"},
		{name: "ASCII declared windows-1252", content: "a;b\n1;plain\n", encoding: "windows-1252"},
		{name: "UTF-8 declared UTF-16", file: "utf8-declared-cp1252.csv", encoding: "utf-16",
			want: "utf8-declared-cp1252.csv: the file is declared utf-16le, but none of its bytes is NUL, as every other byte of UTF-16 text in a Latin script is: it seems to be UTF-8; declare encoding: utf-8"},
		{name: "windows-1252 declared UTF-16BE", file: "cp1252-read-as-utf8.csv", encoding: "utf-16be",
			want: "cp1252-read-as-utf8.csv: the file is declared utf-16be, but none of its bytes is NUL, as every other byte of UTF-16 text in a Latin script is: it seems to be windows-1252; declare encoding: windows-1252"},
		{name: "UTF-16 without a byte order mark, declared", content: "a\x00;\x00b\x00\n\x001\x00;\x00\xf8\x00\n\x00", encoding: "utf-16le"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := spec.Source{Name: "t", Path: tt.file, File: filepath.Join("testdata", "headers", tt.file), Encoding: tt.encoding}
			if tt.file == "" {
				src.Path, src.File = "data.csv", filepath.Join(t.TempDir(), "data.csv")
				if err := os.WriteFile(src.File, []byte(tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, err := OpenCSV(&src)
			if opened(t, s, err, tt.want) {
				readAll(t, s)
			}
		})
	}
}

// TestIncompleteTail checks the bytes kept for the next chunk: those of a character cut off.
func TestIncompleteTail(t *testing.T) {
	for _, tt := range []struct {
		data string
		want int
	}{
		{"abc", 0}, {"ab\xc3", 1}, {"ab\xc3\xb8", 0}, {"a\xe2\x82", 2}, {"a\xe2\x82\xac", 0}, {"\xf0\x9f\x98", 3}, {"ab\xb8", 0},
	} {
		if got := incompleteTail([]byte(tt.data)); got != tt.want {
			t.Errorf("incompleteTail(%q) = %d, want %d", tt.data, got, tt.want)
		}
	}
}
