//go:build !linux

package tuning

// StoreThread does nothing where threads have no priority of their own (every system but Linux).
func StoreThread() {}
