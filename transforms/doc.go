// Package transforms turns a source row into API records: it types each cell by the source's JSON
// Schema (coerce), and evaluates the job's mappings (expr-lang expressions compiled once at load)
// into records keyed by userObjectId, including On Key ReferenceLookup converters. It never sends
// anything and never imports the pipeline.
package transforms
