package readers

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// TestCSVLineBreaksInQuotedFields checks that a line break inside a quoted field comes out as it
// stands in the file (CRLF as CRLF, LF as LF, a lone CR as CR), in the fixture written by
// testdata/headers/make-fixtures.py and in the records around what encoding/csv skips or
// decodes: empty lines before a record, CR before CRLF, the header, UTF-16 and windows-1252
// text, and a record that the guard's buffer keeps across its trimming.
func TestCSVLineBreaksInQuotedFields(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // more than the read buffer: raw is trimmed between records
	tests := []struct {
		name     string
		content  string // "" reads the fixture crlf-quoted.csv
		encoding string
		header   []string
		rows     []string // origin, then the values
	}{
		{name: "fixture", header: []string{"OrderNo", "Note"}, rows: []string{
			`crlf-quoted.csv:2 "10001" "line one\r\nline two"`,
			`crlf-quoted.csv:4 "10002" "unix\nbreak"`,
			`crlf-quoted.csv:6 "10003" "mixed\r\nthen\nand\r\nend"`,
			`crlf-quoted.csv:10 "10004" "lone\rcr"`,
			`crlf-quoted.csv:11 "10005" "plain"`,
		}},
		{name: "empty lines before the record", content: "a,b\r\n\r\n\n\r\n1,\"x\r\ny\"\r\n", header: []string{"a", "b"},
			rows: []string{`data.csv:5 "1" "x\r\ny"`}},
		{name: "CR before CRLF", content: "a,b\r\n1,\"x\r\r\ny\"\r\n", header: []string{"a", "b"},
			rows: []string{`data.csv:2 "1" "x\r\r\ny"`}},
		{name: "two fields with breaks, last line without a break", content: "a,b\n\"1\r\n2\",\"3\n4\r\n5\"", header: []string{"a", "b"},
			rows: []string{`data.csv:2 "1\r\n2" "3\n4\r\n5"`}},
		{name: "in the header", content: "\"a\r\nb\",c\r\n1,2\r\n", header: []string{"a\r\nb", "c"},
			rows: []string{`data.csv:3 "1" "2"`}},
		{name: "UTF-16 with a byte order mark", content: string(utf16WithBOM("a,b\r\n1,\"Kjøl\r\nfrys\"\r\n", binary.LittleEndian)), header: []string{"a", "b"},
			rows: []string{`data.csv:2 "1" "Kjøl\r\nfrys"`}},
		{name: "windows-1252", content: "a;b\r\n1;\"Kj\xf8l\r\nfrys\"\r\n", encoding: "windows-1252", header: []string{"a", "b"},
			rows: []string{`data.csv:2 "1" "Kjøl\r\nfrys"`}},
		{name: "after long records", content: "a,b\r\n1," + long + "\r\n2," + long + "\r\n3,\"p\r\nq\"\r\n", header: []string{"a", "b"},
			rows: []string{`data.csv:2 "1" "` + long + `"`, `data.csv:3 "2" "` + long + `"`, `data.csv:4 "3" "p\r\nq"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Source
			var err error
			if tt.content == "" {
				s, err = OpenCSV(&spec.Source{Name: "t", Path: "crlf-quoted.csv", File: filepath.Join("testdata", "headers", "crlf-quoted.csv")})
			} else {
				s, err = openCSVContent(t, "data.csv", []byte(tt.content), spec.Source{Encoding: tt.encoding})
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := s.(Headed).Header(); !slices.Equal(got, tt.header) {
				t.Errorf("header %q, want %q", got, tt.header)
			}
			var got []string
			for _, r := range readAll(t, s) {
				line := r.Origin.String()
				for _, v := range r.Values {
					line += " " + strconv.Quote(v.(string))
				}
				if r.Err != nil {
					line += " ERR " + r.Err.Error()
				}
				got = append(got, line)
			}
			if !slices.Equal(got, tt.rows) {
				t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.rows, "\n"))
			}
		})
	}
}
