package readers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/spec"
)

// openCSVLimits writes content to a file named name in a fresh temporary folder and opens it with
// the given source settings and limits (zero fields: DefaultLimits).
func openCSVLimits(t *testing.T, name string, content []byte, src spec.Source, lim Limits) (Source, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, content, 0o600); err != nil {
		t.Fatal(err)
	}
	src.Name, src.Path, src.File = "test", name, file
	return openCSV(&src, lim)
}

// readToError reads s until io.EOF or another error, which it returns (nil for io.EOF), and
// closes s.
func readToError(t *testing.T, s Source) ([]Row, error) {
	t.Helper()
	defer s.Close()
	var rows []Row
	for {
		row, err := s.Next(t.Context())
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row)
	}
}

// TestCSVHostile feeds the CSV reader files made to hurt it. Each either yields every row (those
// with a problem carry Row.Err, naming the line and column, and keep their values) or fails,
// naming the file and the line where reading stopped: Open for a bad header, Next otherwise.
func TestCSVHostile(t *testing.T) {
	abc := []string{"a", "b", "c"}
	tenMB := strings.Repeat("0123456789", 1<<20) // 10 MiB
	wide := func(n int) string {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("c%d", i+1)
		}
		return strings.Join(names, ",")
	}
	// 17 MiB of lines after a quote that is never closed.
	unclosed := "a,b,c\n1,2,3\n4,\"5,6\n" + strings.Repeat("7,8,9 and some more text to make the line longer\n", 17<<20/50)
	tests := []struct {
		name     string
		content  string
		src      spec.Source
		lim      Limits
		columns  []string
		rows     []csvWantRow
		wantOpen string // the error of Open
		wantNext string // the error that ends the reading, "" for io.EOF
	}{
		// 2. A file that ends inside a quoted field: the row is delivered with what was read.
		{name: "ends inside a quoted field", content: "a,b,c\n1,2,3\n4,5,\"6\n7,8,9\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "2", "3"}},
				{line: 3, values: []string{"4", "5"}, err: `data.csv:3:c: extraneous or missing " in a quoted field (line 4, byte 7); a quoted field must end with " followed by the delimiter or the end of the line; the quoted field that starts on line 3 runs to the end of the file: is its closing " missing?`},
			}},
		// 2. A quote never closed in a large file: encoding/csv would hold the rest of the file in
		// one record; the record limit stops it and says where.
		{name: "quote never closed in 17 MiB", content: unclosed, columns: abc,
			rows:     []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}},
			wantNext: `data.csv:3: a record longer than the 16 MiB limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`},
		{name: "record over a lowered limit", content: "a,b,c\n1,2,3\n\n\n4,5,\"" + strings.Repeat("x", 2000) + "\"\n7,8,9\n",
			lim: Limits{RecordBytes: 1 << 10}, columns: abc,
			rows:     []csvWantRow{{line: 2, values: []string{"1", "2", "3"}}},
			wantNext: `data.csv:5: a record longer than the 1 KiB limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`},
		{name: "record at the limit", content: "a,b,c\n1,2,\"" + strings.Repeat("x", 1024-7) + "\"\n", lim: Limits{RecordBytes: 1 << 10}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", strings.Repeat("x", 1024-7)}}}},
		{name: "record one byte over the limit", content: "a,b,c\n1,2,\"" + strings.Repeat("x", 1024-6) + "\"\n", lim: Limits{RecordBytes: 1 << 10}, columns: abc,
			wantNext: `data.csv:2: a record longer than the 1 KiB limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`},
		{name: "header over the record limit", content: wide(300) + "\n", lim: Limits{RecordBytes: 1 << 10},
			wantOpen: `data.csv:1: a record longer than the 1 KiB limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`},

		// 3. NUL bytes: an error of the cell, whatever the encoding; in the header, of Open.
		{name: "NUL in a cell", content: "a,b,c\n1,x\x00y,3\n4,5,6\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", "x\x00y", "3"}, err: "data.csv:2:b: holds a NUL byte, which text never does: the file is binary, or UTF-16 without a byte order mark (declare encoding: utf-16le or utf-16be)"},
				{line: 3, values: []string{"4", "5", "6"}},
			}},
		{name: "NUL in a declared windows-1252 file", content: "a;b;c\n\xe6;\x00;3\n", src: spec.Source{Encoding: "windows-1252"}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"æ", "\x00", "3"}, err: "data.csv:2:b: " + nulMsg}}},
		{name: "UTF-16 without a byte order mark", content: "a\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00",
			wantOpen: "data.csv: the file is not UTF-8 text: 8 of its first 16 bytes are NUL; it seems to be UTF-16 without a byte order mark; declare encoding: utf-16le (Windows) or utf-16be"},
		{name: "a few NUL bytes in the header", content: "a\x00,b\x00,c,dd,ee,ff\n",
			wantOpen: "data.csv:1: column 1: holds a NUL byte, which text never does: the file is binary, or UTF-16 without a byte order mark (declare encoding: utf-16le or utf-16be)\n" +
				"data.csv:1: column 2: " + nulMsg},

		// 4. A 10 MB cell is refused by the default cell limit, its row kept whole.
		{name: "10 MB cell", content: "a,b,c\n1,\"" + tenMB + "\",3\n4,5,6\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: []string{"1", tenMB, "3"}, err: "data.csv:2:b: the cell holds 10485760 bytes, more than the 1 MiB limit for one cell"},
				{line: 3, values: []string{"4", "5", "6"}},
			}},
		{name: "cell at the limit", content: "a,b,c\n1,2," + strings.Repeat("é", 50) + "\n", lim: Limits{CellBytes: 100}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", strings.Repeat("é", 50)}}}},
		{name: "cell one byte over the limit", content: "a,b,c\n1,2," + strings.Repeat("é", 50) + "!\n", lim: Limits{CellBytes: 100}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", strings.Repeat("é", 50) + "!"}, err: "data.csv:2:c: the cell holds 101 bytes, more than the 100 bytes limit for one cell"}}},
		{name: "cell over the limit after decoding", content: "a,b,c\n1,2," + strings.Repeat("\xe9", 60) + "\n", src: spec.Source{Encoding: "latin1"}, lim: Limits{CellBytes: 100}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", strings.Repeat("é", 60)}, err: "data.csv:2:c: the cell holds 120 bytes, more than the 100 bytes limit for one cell"}}},
		{name: "column name over the cell limit", content: "a," + strings.Repeat("b", 101) + "\n", lim: Limits{CellBytes: 100},
			wantOpen: "data.csv:1: column 2: the name holds 101 bytes, more than the 100 bytes limit for one cell"},

		// 5. A header wider than an XLSX sheet can be.
		{name: "100,000 columns", content: wide(100000) + "\n1,2\n",
			wantOpen: "data.csv:1: the header has 100000 columns, more than the limit of 16384"},
		{name: "16,384 columns", content: wide(16384) + "\n", columns: strings.Split(wide(16384), ",")},
		{name: "columns over a lowered limit", content: wide(11) + "\n", lim: Limits{Columns: 10},
			wantOpen: "data.csv:1: the header has 11 columns, more than the limit of 10"},
		{name: "100,000 fields in a row", content: "a,b,c\n" + wide(100000) + "\n4,5,6\n", columns: abc,
			rows: []csvWantRow{
				{line: 2, values: strings.Split(wide(100000), ","), err: "data.csv:2: has 100000 fields, the header has 3"},
				{line: 3, values: []string{"4", "5", "6"}},
			}},

		// 6. Invalid UTF-8 is an error of its cell in a file read as UTF-8 (declared, by default or
		// by its byte order mark), and decoded in a file that declares another encoding.
		{name: "invalid UTF-8, declared utf-8", content: "a,b,c\n1,2,Sm\xf8r\n2,Å,3\n", src: spec.Source{Encoding: "utf-8"}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "Sm\xf8r"}, err: "data.csv:2:c: invalid UTF-8 in a file whose other text is UTF-8: the cell is damaged, or the file was put together from files in different encodings"},
				{line: 3, values: []string{"2", "Å", "3"}}}},
		{name: "no UTF-8 at all, declared utf-8", content: "a,b,c\n1,2,Sm\xf8r\n", src: spec.Source{Encoding: "utf-8"},
			wantOpen: `data.csv:2: the file is not UTF-8 (the encoding read when none is declared): line 2 holds the byte 0xF8, and no character of the file is UTF-8; it seems to be windows-1252, which reads that line as "1,2,Smør"; declare encoding: windows-1252 (or iso-8859-1)`},
		{name: "invalid UTF-8, UTF-8 byte order mark", content: "\uFEFFa;b;c\n1;\xc3\x28;3\n", src: spec.Source{Encoding: "windows-1252"}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "\xc3\x28", "3"}, err: "data.csv:2:b: " + invalidUTF8Msg}}},
		{name: "truncated UTF-8 sequence at the end", content: "a,b,Å\n1,2,\xe2\x82", columns: []string{"a", "b", "Å"},
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "\xe2\x82"}, err: "data.csv:2:Å: " + invalidUTF8Msg}}},
		{name: "invalid UTF-8 in the header", content: "a,\xff\xfeb\nÅ,1\n", src: spec.Source{Encoding: "utf-8"},
			wantOpen: "data.csv:1: column 2: " + strings.Replace(invalidUTF8Msg, "the cell", "the name", 1)},
		{name: "windows-1252 declared", content: "a,b,c\n1,2,Sm\xf8r\n", src: spec.Source{Encoding: "windows-1252"}, columns: abc,
			rows: []csvWantRow{{line: 2, values: []string{"1", "2", "Smør"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := openCSVLimits(t, "data.csv", []byte(tt.content), tt.src, tt.lim)
			if !opened(t, s, err, tt.wantOpen) {
				return
			}
			rows, err := readToError(t, s)
			checkCSVRows(t, "data.csv", rows, tt.columns, tt.rows)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.wantNext {
				t.Errorf("reading ended with\n %q\nwant %q", got, tt.wantNext)
			}
		})
	}
}

// A header of 100,000 columns is refused at once, not after minutes of work.
func TestCSVWideHeaderIsQuick(t *testing.T) {
	names := make([]string, 100000)
	for i := range names {
		names[i] = fmt.Sprintf("column %d", i+1)
	}
	row := strings.Repeat("x,", 99999) + "x\n"
	content := strings.Join(names, ",") + "\n" + strings.Repeat(row, 20)
	start := time.Now()
	_, err := openCSVLimits(t, "data.csv", []byte(content), spec.Source{}, Limits{})
	if err == nil || !strings.Contains(err.Error(), "the header has 100000 columns, more than the limit of 16384") {
		t.Fatalf("Open: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing the header took %v", d)
	}
}

// endless is an io.Reader of a header and a quoted field that never ends, counting what is read.
type endless struct {
	head string
	n    int64
}

func (r *endless) Read(p []byte) (int, error) {
	k := copy(p, r.head)
	r.head = r.head[k:]
	for i := k; i < len(p); i++ {
		p[i] = "x\n"[i%2]
	}
	r.n += int64(len(p))
	return len(p), nil
}

// A quoted field that never ends is read no further than the record limit and the read buffers,
// instead of for ever.
func TestCSVEndlessQuotedField(t *testing.T) {
	r := &endless{head: "a,b\n1,\""}
	lim := Limits{RecordBytes: 1 << 20}.withDefaults()
	s, err := newCSVSource(io.NopCloser(r), "endless.csv", 0, encUTF8, 0, nil, lim)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Next(t.Context())
	want := `endless.csv:2: a record longer than the 1 MiB limit for one record starts here; is the closing " of a quoted field missing? Reading stopped here`
	if err == nil || err.Error() != want {
		t.Fatalf("Next: %v, want %q", err, want)
	}
	if limit := int64(lim.RecordBytes + 3*csvBufferSize); r.n > limit {
		t.Errorf("read %d bytes, more than %d", r.n, limit)
	}
}
