package pipeline

import (
	"sync"
	"time"
)

// dirCheckInterval is how often a run that sends checks that its directory is still the one it
// locked (RunDirLock.Check).
const dirCheckInterval = 500 * time.Millisecond

// dirWatch stops a run whose directory is deleted, moved or replaced while it sends: what it
// records goes to a store no one can find any more.
type dirWatch struct {
	stop chan struct{} // closed by the caller's stop, or when the directory is lost
	quit chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	lost error
}

// watchRunDir watches the directory lock holds until unwatch is called; the channel it returns
// is closed when stop is, or when the directory is lost (see lost). A nil lock is not watched.
func watchRunDir(lock *RunDirLock, stop <-chan struct{}) *dirWatch {
	w := &dirWatch{stop: make(chan struct{}), quit: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(dirCheckInterval)
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

// unwatch ends the watch; it may be called more than once.
func (w *dirWatch) unwatch() {
	select {
	case <-w.quit:
	default:
		close(w.quit)
	}
	w.done.Wait()
}

// err is the *DirLostError found, or nil.
func (w *dirWatch) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lost
}
