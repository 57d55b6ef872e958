package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bulkload/bulkload/maptest"
	"github.com/bulkload/bulkload/spec"
)

// mapTestOptions are the flags of `bulkload test`.
type mapTestOptions struct {
	tests    string
	run      string
	coverage bool
}

func mapTestCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	var o mapTestOptions
	fs.StringVar(&o.tests, "tests", "", "the file of mapping tests (default: <job>.tests.yaml beside the job, job.yaml -> job.tests.yaml)")
	fs.StringVar(&o.run, "run", "", "run only the tests whose name matches this regular expression")
	fs.BoolVar(&o.coverage, "coverage", true, "print the coverage check after the tests")
	return func(_ context.Context, args []string, io streams) int {
		path := "job.yaml"
		if len(args) == 1 {
			path = args[0]
		}
		return mapTests(path, o, io)
	}
}

// atMostOneJob accepts no operand (job.yaml in the working directory) or one.
func atMostOneJob(_ *flag.FlagSet, args []string) error {
	if len(args) > 1 {
		return fmt.Errorf("want at most one JOB.yaml, got %d: %s", len(args), quoteList(args))
	}
	return nil
}

// testsFileFor is the default test file of a job: job.yaml -> job.tests.yaml.
func testsFileFor(jobPath string) string {
	ext := filepath.Ext(jobPath)
	return strings.TrimSuffix(jobPath, ext) + ".tests.yaml"
}

// mapTests runs the job's mapping tests, prints PASS or FAIL (with a diff) for each and the
// coverage check, and returns 0 when every test passed, 1 when one failed, 2 when the job or the
// test file is broken.
func mapTests(path string, o mapTestOptions, io streams) int {
	filter, err := regexp.Compile(o.run)
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: test: -run: %v\n", err)
		return exitUsage
	}
	job, ok := loadJob(path, io)
	if !ok {
		return exitUsage
	}
	tester, err := maptest.NewMapTester(job)
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: %v; no test was run\n", err)
		return exitUsage
	}
	file := o.tests
	if file == "" {
		file = testsFileFor(path)
	}
	tests, err := readMapTests(file)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(io.err, "bulkload: test: no mapping tests: %s does not exist (see \"Testing mappings\" in the README for its shape)\n", file)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: test: %v\n", err)
		return exitUsage
	}
	passed, failed := 0, 0
	for _, t := range tests.tests {
		if !filter.MatchString(t.name) {
			continue
		}
		diff, err := runMapTest(tester, file, t)
		if err != nil {
			fmt.Fprintf(io.err, "bulkload: test: %v\n", err)
			return exitUsage
		}
		where := fmt.Sprintf("%s:%d", relPath(file), t.line)
		if diff == "" {
			passed++
			fmt.Fprintf(io.out, "PASS  %s (%s)\n", t.name, where)
			continue
		}
		failed++
		fmt.Fprintf(io.out, "FAIL  %s (%s)\n", t.name, where)
		for _, line := range splitLines(diff) {
			fmt.Fprintf(io.out, "      %s\n", line)
		}
	}
	fmt.Fprintf(io.out, "tests: %d passed, %d failed\n", passed, failed)
	if passed+failed == 0 {
		fmt.Fprintf(io.err, "bulkload: test: no test in %s matches -run %q\n", file, o.run)
		return exitUsage
	}
	if o.coverage {
		printCoverage(io.out, job, tester.Coverage())
	}
	if failed > 0 {
		return exitSomeFailed
	}
	return exitOK
}

// printCoverage writes the coverage check: what no mapping reads or sets.
func printCoverage(w io.Writer, job *spec.Job, cov maptest.Coverage) {
	fmt.Fprintf(w, "coverage of %s:\n", job.Name)
	clean := true
	for _, s := range cov.Sources {
		if len(s.UnreadColumns) > 0 {
			clean = false
			fmt.Fprintf(w, "  source %s: columns no mapping reads: %s\n", s.Source, strings.Join(s.UnreadColumns, ", "))
		}
		if len(s.UnmappedProperties) > 0 {
			clean = false
			fmt.Fprintf(w, "  source %s: schema properties never mapped: %s\n", s.Source, strings.Join(s.UnmappedProperties, ", "))
		}
	}
	for _, u := range cov.Unset {
		clean = false
		fmt.Fprintf(w, "  entity %s: %s requires %s (%s), which no property sets\n", u.Entity, u.Model, u.Field, u.Endpoint)
	}
	for _, n := range cov.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	if clean {
		fmt.Fprintf(w, "  every column is read, every schema property mapped")
		if job.Target.Kind == spec.OnixWork {
			fmt.Fprintf(w, ", every required request field set")
		}
		fmt.Fprintln(w)
	}
}
