package tuning

import (
	"runtime"
	"testing"
)

// Runs sending at once share the headroom: GOMAXPROCS is raised once, by the first, and put
// back by the last, whatever order they end in; a restore called twice counts once.
func TestWhileSending(t *testing.T) {
	given := runtime.GOMAXPROCS(0)
	first := WhileSending()
	second := WhileSending()
	if got := runtime.GOMAXPROCS(0); got != given+Headroom {
		t.Fatalf("two runs sending: GOMAXPROCS %d, want %d", got, given+Headroom)
	}
	first()
	first()
	if got := runtime.GOMAXPROCS(0); got != given+Headroom {
		t.Errorf("one run still sending: GOMAXPROCS %d, want %d", got, given+Headroom)
	}
	second()
	if got := runtime.GOMAXPROCS(0); got != given {
		t.Errorf("no run sending: GOMAXPROCS %d, want %d as given", got, given)
	}
}
