// Package layering states the direction of imports between bulkload's packages, as DESIGN.md
// gives it, and checks an import graph against it. Its tests check the module's own graph (go
// list), so that a package importing against the direction fails the build's tests.
package layering
