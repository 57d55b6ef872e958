package tuning

import (
	"syscall"
	"testing"
)

// niceOf returns the nice value of the calling thread.
func niceOf(t *testing.T) int {
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Error(err) // not Fatal: called from other goroutines
	}
	return 20 - prio
}

// A goroutine that lowers its priority runs StoreNice nicer than the process; the other threads,
// and the threads after it ends, do not.
func TestStoreThread(t *testing.T) {
	base := niceOf(t)
	got := make(chan int)
	for range 2 {
		go func() {
			StoreThread()
			got <- niceOf(t)
		}()
		if n := <-got; n != min(base+StoreNice, 19) {
			t.Errorf("after StoreThread: nice %d, want %d", n, min(base+StoreNice, 19))
		}
	}
	for range 20 { // some of these run on threads that existed before
		go func() { got <- niceOf(t) }()
		if n := <-got; n != base {
			t.Fatalf("another goroutine runs at nice %d, want %d as the process", n, base)
		}
	}
}
