// Package submit is the one scheduler for every target: it streams the records a store gives
// it, marks them as being sent before their request leaves, keeps `concurrency` requests in
// flight, hands each answer to the target to read and has one writer record the results. On Key
// records go in batches, group by group (the caller runs one pass per group); Onix Work records
// go one call each, parents first, a record's children as soon as it succeeded. It knows targets
// only by the Target interface and the run store only by the Store interface.
package submit
