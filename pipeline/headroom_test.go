package pipeline

import (
	"runtime"
	"testing"
)

// Runs sending at once share the headroom: GOMAXPROCS is raised once, by the first, and put
// back by the last, whatever order they end in; a restore called twice counts once.
func TestRaiseProcs(t *testing.T) {
	given := runtime.GOMAXPROCS(0)
	first := raiseProcs()
	second := raiseProcs()
	if got := runtime.GOMAXPROCS(0); got != given+sendingHeadroom {
		t.Fatalf("two runs sending: GOMAXPROCS %d, want %d", got, given+sendingHeadroom)
	}
	first()
	first()
	if got := runtime.GOMAXPROCS(0); got != given+sendingHeadroom {
		t.Errorf("one run still sending: GOMAXPROCS %d, want %d", got, given+sendingHeadroom)
	}
	second()
	if got := runtime.GOMAXPROCS(0); got != given {
		t.Errorf("no run sending: GOMAXPROCS %d, want %d as given", got, given)
	}
}
