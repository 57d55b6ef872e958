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
