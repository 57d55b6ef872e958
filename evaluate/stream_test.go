package evaluate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
)

// Stream hands each row's result to its consumer in the order the rows were read, whatever the
// number of workers: the sources in spec order, each in its line order, every body encoded, and
// counts each source's rows.
func TestStreamInRowOrder(t *testing.T) {
	const lines, notes = 500, 40
	for _, workers := range []int{1, 3, 16} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			j := prepared(t, writeJob(t, lines, notes, ""))
			var got []string
			invalid := 0
			stats, readErr, err := j.Stream(t.Context(), workers, func(r Result) error {
				if len(r.Entries) == 0 {
					t.Fatalf("%s: a row with no entries", r.Source)
				}
				got = append(got, fmt.Sprintf("%s:%d", r.Source, r.Entries[0].Origin.Line))
				for _, e := range r.Entries {
					if e.Body == nil {
						t.Errorf("%s %s: body not encoded", e.Record.Entity, e.Record.UserObjectID)
					}
					if e.Status == record.Invalid {
						invalid++
					}
				}
				return nil
			})
			if err != nil || readErr != nil {
				t.Fatalf("Stream: %v, %v", err, readErr)
			}
			var want []string
			for i := range lines {
				want = append(want, fmt.Sprintf("lines:%d", i+2))
			}
			for i := range notes {
				want = append(want, fmt.Sprintf("notes:%d", i+2))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("rows in the order %v\nwant %v", got, want)
			}
			if stats["lines"].Rows != lines || stats["notes"].Rows != notes {
				t.Errorf("stats: %d lines, %d notes; want %d, %d", stats["lines"].Rows, stats["notes"].Rows, lines, notes)
			}
			if want := lines / 7; invalid != want { // a line of quantity 0 is invalid; its order is not
				t.Errorf("%d invalid records, want %d", invalid, want)
			}
		})
	}
}

// failingReader yields rows of its source until n have been read, then fails.
type failingReader struct {
	readers.Source
	n int
}

var errTruncated = errors.New("truncated")

func (f *failingReader) Next(ctx context.Context) (readers.Row, error) {
	if f.n == 0 {
		return readers.Row{}, errTruncated
	}
	f.n--
	return f.Source.Next(ctx)
}

// A source that cannot be read on stops the reading: the rows before it are all evaluated and
// handed on, the sources after it are not read, and the read error names the source.
func TestStreamReadError(t *testing.T) {
	j := prepared(t, writeJob(t, 50, 10, ""))
	j.Source("lines").reader = &failingReader{Source: j.Source("lines").reader, n: 20}
	rows := 0
	stats, readErr, err := j.Stream(t.Context(), 4, func(r Result) error {
		if r.Source != "lines" {
			t.Errorf("a row of %s, read after the error", r.Source)
		}
		rows++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if readErr == nil || readErr.Source != "lines" || !errors.Is(readErr, errTruncated) {
		t.Fatalf("read error %v, want lines' %v", readErr, errTruncated)
	}
	if rows != 20 || stats["lines"].Rows != 20 {
		t.Errorf("%d rows handed on, %d counted; want 20", rows, stats["lines"].Rows)
	}
}

// An error of the consumer stops the stream and is what Stream returns.
func TestStreamConsumerError(t *testing.T) {
	j := prepared(t, writeJob(t, 2000, 0, ""))
	stop := errors.New("disk full")
	rows := 0
	_, _, err := j.Stream(t.Context(), 4, func(Result) error {
		if rows++; rows == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || rows != 10 {
		t.Errorf("Stream = %v after %d rows; want %v after 10", err, rows, stop)
	}
}

// Evaluation is the reader's only user: reading the source after the stream finds it at its end.
func TestStreamReadsEachSourceOnce(t *testing.T) {
	j := prepared(t, writeJob(t, 5, 1, ""))
	if _, _, err := j.Stream(t.Context(), 2, func(Result) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Source("lines").Reader().Next(t.Context()); !errors.Is(err, io.EOF) {
		t.Errorf("after Stream, Next = %v, want io.EOF", err)
	}
}
