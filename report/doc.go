// Package report writes what a run found, for the people who read it, from a stream of entries
// (Each): report.csv, report.jsonl, errors.csv, summary.json, payloads/, the fix files, the data
// owner's annotated workbooks and the one-page report.html, each a Writer fed by one pass (Feed,
// Write). A Tracer puts the server's messages about a record's properties on the cells they were
// mapped from. Nothing here reads the run store: its callers give the entries.
package report
