package pipeline

import (
	"runtime"
	"syscall"
)

// storeNice is how much nicer than the process the threads of the run store's work are while
// records are being sent.
const storeNice = 5

// lowerPriority gives the calling goroutine an OS thread of its own, storeNice nicer than the
// process, for the rest of its life. The run store's goroutines call it while sending: their
// work (SQLite, in pure Go) is CPU that can wait a little, while a call's answer that waits for
// a core leaves its slot idle. With the kernel preferring the network's threads, the share of
// calls that reached the server over 1.2 ms late fell from one in ten to one in twenty, and the
// bare On Key benchmark went from about 91% of the ideal sustained to about 93%.
//
// The thread is never unlocked, so it ends with the goroutine and no other goroutine runs at its
// priority. It is best effort: where the priority cannot be changed, nothing is.
func lowerPriority() {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	// The raw getpriority system call answers 20 - nice.
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+storeNice, 19))
}
