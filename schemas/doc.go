// Package schemas holds bulkload's JSON Schemas and the row validator. The job spec's own schema is
// embedded (JobSchema); a source's row schema is a user file compiled once with LoadRow
// (santhosh-tekuri/jsonschema v5, draft 2020-12 by default, formats asserted), whose top-level
// properties also declare each column's type for coercion. RowSchema.Validate turns the library's
// error tree into a flat, deterministically sorted list of Violations, one per failing column and
// rule, named by column rather than by JSON pointer. The package is a leaf: it imports no other
// bulkload package.
package schemas
