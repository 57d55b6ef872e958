// Package pipeline wires the stages of a run: sources are read, rows typed and validated, mapped
// into records, checked across rows, recorded in the run store and rendered into reports. Stages
// run concurrently in one errgroup joined by small channels; a row's problem is a result, never a
// run-fatal error. The run store (store.go) is the single source of truth from which every report
// is rendered.
package pipeline
