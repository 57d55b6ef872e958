// Package rundir is bulkload's run directories: where a run's store and reports live. It names
// them (<job>-<UTC millisecond stamp>, and the <job>-latest link to the newest), refuses a folder
// of the user's as one, holds one for a single process (an OS lock on run.lock, which says who
// holds it), watches that a held one is still where it was, and lists (state, mode, counts,
// whether a resume would finish it) and prunes a job's runs without disturbing a process using
// them. It reads a run's store only through runstore.ReadFacts; what a run writes into its
// directory is the business of its callers.
package rundir
