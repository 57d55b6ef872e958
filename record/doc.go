// Package record is the vocabulary of a record after mapping, shared by the packages that
// evaluate, store, send and report records: its Status, the Messages about it and the Entry
// that carries it from the rows it was mapped from to the line of report it ends on.
package record
