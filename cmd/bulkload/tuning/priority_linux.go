package tuning

import (
	"runtime"
	"syscall"
)

// StoreNice is how much nicer than the process StoreThread makes the calling goroutine's thread.
const StoreNice = 5

// StoreThread gives the calling goroutine an OS thread of its own, StoreNice nicer than the
// process, for the rest of the goroutine's life: the thread is never unlocked, so it ends with
// the goroutine and no other goroutine ever runs at its priority. It is meant for goroutines
// whose CPU work can wait a little (the run store's, while sending) so that the kernel gives a
// core to the threads that take the target's answers first. It is best effort: where the
// priority cannot be changed, nothing is.
func StoreThread() {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	// The raw getpriority system call answers 20 - nice.
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+StoreNice, 19))
}
