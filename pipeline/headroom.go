package pipeline

import (
	"runtime"
	"sync"
)

// sendingHeadroom is how many more Ps (GOMAXPROCS) the process has than it was given while
// records are being sent.
//
// Go notices that a connection has data (an answer has arrived) when one of its Ps runs out of
// goroutines to run, and otherwise only every 10 ms (sysmon; see golang/go#51651). While sending,
// the run store's goroutines are busy with CPU (SQLite, in pure Go: reading the next batches,
// recording the answers), and with every P busy an answer waits to be noticed while its slot
// stays idle. With Ps to spare, one is usually idle, its thread waiting in the kernel's poller,
// and the kernel, not Go, shares the cores between the threads: the answer is taken at once.
// On 2 cores, 2 more Ps took the bare On Key benchmark (BenchmarkOnKeySend) from about 88-91% of
// the ideal sustained to 92-93% (the README's Performance section has the figures).
const sendingHeadroom = 2

// headroom counts the runs sending at once in this process (tests run several): the first
// raises GOMAXPROCS, the last puts it back.
var headroom struct {
	mu      sync.Mutex
	sending int
	before  int
}

// raiseProcs gives the process sendingHeadroom more Ps until the returned function is called.
func raiseProcs() (restore func()) {
	headroom.mu.Lock()
	defer headroom.mu.Unlock()
	if headroom.sending++; headroom.sending == 1 {
		headroom.before = runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(headroom.before + sendingHeadroom)
	}
	return sync.OnceFunc(func() {
		headroom.mu.Lock()
		defer headroom.mu.Unlock()
		if headroom.sending--; headroom.sending == 0 {
			// Back to the runtime's default if that is what it was, so that Go follows changes
			// of the CPU limit again (setting GOMAXPROCS stops that); else to the value it had.
			runtime.SetDefaultGOMAXPROCS()
			if runtime.GOMAXPROCS(0) != headroom.before {
				runtime.GOMAXPROCS(headroom.before)
			}
		}
	})
}
