// Package spec loads and checks a bulkload job spec: a YAML file naming the target, the sources,
// the JSON Schema of each source's rows and the mappings from rows to API records. Loading reports
// every problem at once, each with the spec file's line and column, before any data file is
// opened. Defaults live in one place (defaults.go).
package spec
