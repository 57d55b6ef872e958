package rundir

import (
	"sync"
	"time"
)

// checkInterval is how often a Watch checks that its directory is still the one locked
// (Lock.Check).
const checkInterval = 500 * time.Millisecond

// Watch stops a run whose directory is deleted, moved or replaced while it sends: what it records
// would go to a store no one can find any more. Its methods are safe for concurrent use.
type Watch struct {
	stop chan struct{} // closed by the caller's stop, or when the directory is lost
	quit chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	lost error
}

// Watching watches the directory lock holds, every half second, until Unwatch is called. A nil
// lock is not watched: its Watch only passes stop on.
func Watching(lock *Lock, stop <-chan struct{}) *Watch {
	w := &Watch{stop: make(chan struct{}), quit: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(checkInterval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				close(w.stop)
				return
			case <-w.quit:
				return
			case <-tick.C:
				if lock == nil {
					continue
				}
				if err := lock.Check(); err != nil {
					w.mu.Lock()
					w.lost = err
					w.mu.Unlock()
					close(w.stop)
					return
				}
			}
		}
	}()
	return w
}

// Stop is closed when the stop given to Watching is, or when the directory is lost (Err), until
// Unwatch: after it, it is closed only if it was before.
func (w *Watch) Stop() <-chan struct{} { return w.stop }

// Unwatch ends the watch; it may be called more than once.
func (w *Watch) Unwatch() {
	select {
	case <-w.quit:
	default:
		close(w.quit)
	}
	w.done.Wait()
}

// Err is the *LostError found, or nil.
func (w *Watch) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lost
}
