// Package tuning holds the process-wide settings bulkload changes while a run sends records:
// the number of Ps (GOMAXPROCS) and the OS priority of the threads that do the run store's work.
// Only the command (cmd/bulkload) uses it, handing its functions to package pipeline as options
// (pipeline.RunOptions.WhileSending and StoreThread); the library itself never changes either.
package tuning
