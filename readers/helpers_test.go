package readers

import (
	"errors"
	"io"
	"testing"
)

// readAll reads s to io.EOF and closes it, failing the test on any other error.
func readAll(t *testing.T, s Source) []Row {
	t.Helper()
	defer func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	var rows []Row
	for {
		row, err := s.Next(t.Context())
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

// opened checks what Open gave: with want set, an error of exactly want (and it reports false:
// nothing to read); else no error (true: read s).
func opened(t *testing.T, s Source, err error, want string) bool {
	t.Helper()
	switch {
	case want != "" && err == nil:
		s.Close()
		t.Fatalf("Open succeeded, want %q", want)
	case want != "" && err.Error() != want:
		t.Fatalf("Open error\n got %q\nwant %q", err, want)
	case want == "" && err != nil:
		t.Fatalf("Open: %v", err)
	}
	return want == ""
}
