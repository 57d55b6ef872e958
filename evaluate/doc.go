// Package evaluate turns a job's rows into entries: the job compiled once (sources open,
// schemas, typers, mappings: Prepare), each row typed, validated and mapped (Source.Evaluate),
// the stream of a job's rows through GOMAXPROCS workers back into row order (Job.Stream), and a
// child record mapped again with its parent's result (Remapper). It writes nothing: what becomes
// of the entries (the run store, the reports) is its callers' business.
package evaluate
