package readers

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// Position counts the bytes of the file a source reads: it never goes back, stays below the
// total while rows remain (a file larger than the reader's buffers), and equals the total (the
// CSV file's size; the sheet XML's uncompressed size) once the last row is read. A CSV file's
// position is where the row just read ends, whatever its reader buffered ahead.
func TestPositionReachesTheTotal(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	var b strings.Builder
	b.WriteString("id;name\n")
	var ends []int64 // the offset after each row
	for i := range 40000 {
		fmt.Fprintf(&b, "%d;name %d\n", i, i)
		ends = append(ends, int64(b.Len()))
	}
	if err := os.WriteFile(big, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join("testdata", "xlsx", "excelize.xlsx")
	for _, tc := range []struct {
		file      string
		total     int64
		wantAhead bool    // a row before the last finds the position short of the total
		ends      []int64 // where each row ends in the file, when the position must be exact
	}{
		{big, int64(b.Len()), true, ends},
		{book, sheetXMLSize(t, book, "xl/worksheets/sheet1.xml"), false, nil},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			s, err := Open(&spec.Source{Name: "s", File: tc.file})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			p, ok := s.(Positioned)
			if !ok {
				t.Fatalf("%T is not Positioned", s)
			}
			var last int64
			short := false
			for row := 0; ; row++ {
				_, err := s.Next(t.Context())
				done, total := p.Position()
				if total != tc.total {
					t.Fatalf("total %d, want %d", total, tc.total)
				}
				if done < last || done > total {
					t.Fatalf("position %d after %d (total %d)", done, last, total)
				}
				last = done
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				short = short || done < total
				if tc.ends != nil && done != tc.ends[row] {
					t.Fatalf("after row %d the position is %d, want %d (the read-ahead must not count)", row+1, done, tc.ends[row])
				}
			}
			if last != tc.total {
				t.Errorf("at the end the position is %d, want %d", last, tc.total)
			}
			if tc.wantAhead && !short {
				t.Errorf("the position was at the total before the last row")
			}
		})
	}
}

// sheetXMLSize is the uncompressed size of part in the workbook.
func sheetXMLSize(t *testing.T, book, part string) int64 {
	t.Helper()
	zr, err := zip.OpenReader(book)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == part {
			return int64(f.UncompressedSize64)
		}
	}
	t.Fatalf("%s has no %s", book, part)
	return 0
}
