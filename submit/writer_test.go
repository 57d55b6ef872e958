package submit

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/record"
)

// orderStore logs the writes it gets, in order; the first SetOutcomes waits for release.
type orderStore struct {
	fakeStore
	mu      sync.Mutex
	log     []string
	first   sync.Once
	entered chan struct{} // closed once the first SetOutcomes waits
	release chan struct{}
}

func (s *orderStore) MarkSending(_ context.Context, seqs []int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprint("mark ", seqs))
	return nil
}

func (s *orderStore) SetOutcomes(_ context.Context, outs []record.Result) error {
	s.first.Do(func() { close(s.entered); <-s.release })
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range outs {
		s.log = append(s.log, fmt.Sprintf("%d %s", o.Seq, o.Status))
	}
	return nil
}

// The writer records the results handed over before a mark ahead of that mark, even when they
// wait together: a child marked after its parent's success never leaves before that success is
// recorded.
func TestWriterResultsBeforeMarks(t *testing.T) {
	s := &orderStore{entered: make(chan struct{}), release: make(chan struct{})}
	w := startWriter(t.Context(), s, 2, nil, func() {}, nil)
	w.write([]record.Result{{Seq: 1, Status: record.Succeeded}}) // the writer waits in it
	<-s.entered
	w.write([]record.Result{{Seq: 2, Status: record.Succeeded}}) // the parent's success
	marked := make(chan error, 1)
	go func() { marked <- w.markSending([]record.Entry{{Seq: 3}}) }() // its child's mark
	for len(w.ch) < 2 {                                               // both wait for the writer together
		runtime.Gosched()
	}
	close(s.release)
	if err := <-marked; err != nil {
		t.Fatal(err)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.log, ", "), "1 succeeded, 2 succeeded, mark [3]"; got != want {
		t.Errorf("writes %s, want %s", got, want)
	}
}
