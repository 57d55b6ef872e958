// Package layering states the structural rules of bulkload's code and checks them: the direction
// of imports between its packages as DESIGN.md gives it (Check, over an import graph), and that
// only the command tunes the process (TuningCalls). Its tests apply them to the module itself
// (go list, its Go files) and keep its test files short, so that code breaking a rule fails the
// tests.
package layering
