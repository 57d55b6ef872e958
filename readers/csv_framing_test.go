package readers

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// TestCSVFraming checks what the CSV source says about how its file is written, and that
// RawRecord gives each record's text exactly as it stands (quotes, inner line breaks, own line
// break), without the empty lines before it.
func TestCSVFraming(t *testing.T) {
	tests := []struct {
		name, file, delimiter, encoding string
		headerRow                       int
		want                            CSVFraming
		raws                            []string
	}{
		{
			name: "excel csv utf-8, delimiter detected",
			file: "\xef\xbb\xbfa;b\r\n1;\"x\r\ny\"\r\n\r\n2;z\r\n",
			want: CSVFraming{Delimiter: ';', Encoding: "utf-8", BOM: []byte{0xef, 0xbb, 0xbf}, LineEnding: "\r\n", Header: []byte("a;b\r\n")},
			raws: []string{"1;\"x\r\ny\"\r\n", "2;z\r\n"},
		},
		{
			name: "windows-1252 declared, LF, last line without a break",
			file: "a,b\n\xe9,\"q\"\"\"\n3,4", encoding: "windows-1252",
			want: CSVFraming{Delimiter: ',', Encoding: "windows-1252", LineEnding: "\n", Header: []byte("a,b\n")},
			raws: []string{"é,\"q\"\"\"\n", "3,4"},
		},
		{
			name: "header_row 3 keeps the lines above",
			file: "Export\r\n\r\na|b\r\n1|2\r\n", delimiter: "|", headerRow: 3,
			want: CSVFraming{Delimiter: '|', Encoding: "utf-8", LineEnding: "\r\n", Preamble: []byte("Export\r\n\r\n"), Header: []byte("a|b\r\n")},
			raws: []string{"1|2\r\n"},
		},
		{
			name: "utf-16le with BOM",
			file: "\xff\xfea\x00\t\x00b\x00\r\x00\n\x001\x00\t\x002\x00\r\x00\n\x00",
			want: CSVFraming{Delimiter: '\t', Encoding: "utf-16le", BOM: []byte{0xff, 0xfe}, LineEnding: "\r\n", Header: []byte("a\tb\r\n")},
			raws: []string{"1\t2\r\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "in.csv")
			if err := os.WriteFile(path, []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := OpenCSV(&spec.Source{Name: "in", File: path, Delimiter: tt.delimiter, Encoding: tt.encoding, HeaderRow: tt.headerRow})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			raw := s.(CSVRaw)
			got := raw.Framing()
			if got.Delimiter != tt.want.Delimiter || got.Encoding != tt.want.Encoding || string(got.BOM) != string(tt.want.BOM) ||
				got.LineEnding != tt.want.LineEnding || string(got.Preamble) != string(tt.want.Preamble) || string(got.Header) != string(tt.want.Header) {
				t.Errorf("Framing\n got %+q\nwant %+q", got, tt.want)
			}
			var raws []string
			for {
				if _, err := s.Next(t.Context()); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Fatal(err)
				}
				raws = append(raws, string(raw.RawRecord()))
			}
			if len(raws) != len(tt.raws) {
				t.Fatalf("raw records %q, want %q", raws, tt.raws)
			}
			for i := range raws {
				if raws[i] != tt.raws[i] {
					t.Errorf("raw record %d = %q, want %q", i, raws[i], tt.raws[i])
				}
			}
		})
	}
}
