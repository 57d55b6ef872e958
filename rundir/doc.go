// Package rundir is bulkload's run directories: where a run's store and reports live. It names
// them (<job>-<UTC millisecond stamp>, and the <job>-latest link to the newest), refuses a folder
// of the user's as one, holds one for a single process (an OS lock on run.lock, which says who
// holds it), watches that a held one is still where it was, lists (state, mode, counts, whether a
// resume would finish it) and prunes a job's runs without disturbing a process using them, and
// says what a run records of its inputs (the fingerprint of the job's files, the files that
// replaced its sources, what was read from each source, the target: SaveInputs) so that a
// resume reads and checks the same ones, and what a run directory says of its run (ReadInfo).
// It opens an existing run's store (OpenStore) and lists runs through runstore.ReadFacts; what a
// run writes into its directory besides the store and the lock is its callers' business.
package rundir
