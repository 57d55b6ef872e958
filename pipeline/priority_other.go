//go:build !linux

package pipeline

// lowerPriority does nothing here: threads have their own priority only on Linux (see
// priority_linux.go).
func lowerPriority() {}
