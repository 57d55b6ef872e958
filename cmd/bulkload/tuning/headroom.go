package tuning

import (
	"runtime"
	"sync"
)

// Headroom is how many Ps (GOMAXPROCS) WhileSending adds to those the process was given.
//
// Go notices that a connection has data when one of its Ps runs out of goroutines to run, and
// otherwise only every 10 ms (golang/go#51651). While records are sent, the run store's
// goroutines keep Ps busy with CPU; with Ps to spare one is usually idle in the poller, so an
// answer that arrives is taken at once and its slot is refilled without waiting for a P.
const Headroom = 2

// procs counts the runs sending at once in this process: the first raises GOMAXPROCS, the last
// puts it back.
var procs struct {
	mu      sync.Mutex
	sending int
	before  int
}

// WhileSending gives the process Headroom more Ps until the returned function is called. Calls
// may overlap (runs sending at once): GOMAXPROCS is raised by the first and put back by the last
// end, whatever order they end in; each end counts once however often it is called. It is safe
// for concurrent use.
func WhileSending() (end func()) {
	procs.mu.Lock()
	defer procs.mu.Unlock()
	if procs.sending++; procs.sending == 1 {
		procs.before = runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(procs.before + Headroom)
	}
	return sync.OnceFunc(func() {
		procs.mu.Lock()
		defer procs.mu.Unlock()
		if procs.sending--; procs.sending == 0 {
			// Back to the runtime's default if that is what it was, so that Go follows changes
			// of the CPU limit again (setting GOMAXPROCS stops that); else to the value it had.
			runtime.SetDefaultGOMAXPROCS()
			if runtime.GOMAXPROCS(0) != procs.before {
				runtime.GOMAXPROCS(procs.before)
			}
		}
	})
}
