// Package runstore is the run store: one SQLite database in the run directory holding one row
// per record, the single source of truth that resume, reconcile and the reports rest on. It is
// the only package that speaks SQL. Callers choose records with a typed Selection and read them
// as record.Entry; a run marks records before sending them (MarkSending) and records their
// outcomes after (SetOutcomes), through the passes package submit takes as its Store (GroupPass
// for an On Key group, RootsFirstPass for Onix Work); a store that is damaged or holds less than
// it recorded is refused on open (DamagedError). The cross-row rules (Resolve) run over a compact
// Index of the records; an evaluation puts its records into a Sink (that index and the records
// spilled to disk), which streams them as the rules amended them: to the reports of a dry run, or
// into the store while a run evaluates them (Loading).
package runstore
