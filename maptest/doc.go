// Package maptest runs a job's mapping tests: rows given inline are evaluated exactly as a dry
// run evaluates a file's rows (package evaluate), then the cross-row rules of the rows given
// together (runstore's Index and Resolve) decide each record's final status (MapTester.Evaluate);
// Coverage says what the job's mappings leave out. It opens a source only to read its header and
// writes nothing. It sits above evaluate and runstore, which may not import each other.
package maptest
