package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
)

// validateOptions are the flags of `bulkload validate`.
type validateOptions struct {
	out        string
	workers    int
	quiet      bool
	noProgress bool
	json       bool
	progress   string
	every      time.Duration
	sources    sourceFlag
}

// register defines the flags on fs.
func (o *validateOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.out, "out", "", "run directory to write (default: <report.dir>/<job>-<UTC time> beside the spec)")
	fs.IntVar(&o.workers, "workers", 0, "goroutines typing, validating and mapping rows (default: the number of CPUs)")
	fs.BoolVar(&o.quiet, "quiet", false, "print nothing but errors")
	fs.BoolVar(&o.noProgress, "no-progress", false, "show no progress (--progress=none)")
	fs.StringVar(&o.progress, "progress", progressAuto, "how to show progress on stderr: auto (a bar on a terminal, else plain), bar, plain (a line every --progress-interval), json (JSON lines), none")
	fs.DurationVar(&o.every, "progress-interval", 10*time.Second, "time between the progress lines of --progress=plain or json")
	fs.BoolVar(&o.json, "json", false, "print summary.json to stdout instead of the human summary")
	fs.Var(&o.sources, "source", "NAME=FILE: read the job's source NAME from FILE (a corrected fix file) instead of the spec's file; repeatable")
}

func validateCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	var o validateOptions
	o.register(fs)
	return func(ctx context.Context, args []string, io streams) int {
		if len(args) != 1 {
			fs.Usage()
			return exitUsage
		}
		return validate(ctx, args[0], o, io)
	}
}

func validate(ctx context.Context, path string, o validateOptions, io streams) int {
	job, ok := loadJobWith(path, o.sources, io)
	if !ok {
		return exitUsage
	}
	mode, err := o.progressMode()
	if err != nil {
		fmt.Fprintf(io.err, "bulkload: %v\n", err)
		return exitUsage
	}
	bar := newMeter(io, mode, o.every, "validating "+job.Name)
	out, err := pipeline.DryRun(ctx, job, pipeline.Options{RunDir: o.out, Workers: o.workers, Command: io.invocation,
		Progress: bar.rows, Bytes: bar.readBytes, Phase: bar.phase})
	bar.finish()
	var readErr *pipeline.ReadError
	if err != nil && (out == nil || !errors.As(err, &readErr)) {
		return runError(ctx, err, io)
	}
	sum := out.Summary
	o.print(io, sum)
	if readErr != nil {
		fmt.Fprintf(io.err, "bulkload: aborted: %v\n", readErr)
		return exitAborted
	}
	if sum.Count("total") == sum.Count(record.Valid) {
		return exitOK
	}
	return exitSomeFailed
}

// print writes the summary to stdout as the flags ask: JSON, human, or nothing.
func (o validateOptions) print(io streams, sum *report.Summary) {
	switch {
	case o.json:
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(sum)
	case !o.quiet && io.outWidth != nil: // a terminal: lines wrapped at its width
		var b strings.Builder
		printSummary(&b, sum)
		fmt.Fprint(io.out, wrapText(b.String(), io.outWidth()))
	case !o.quiet:
		printSummary(io.out, sum)
	}
}

// printSummary writes the short human summary of a run or dry run: counts, the top errors, and
// where the files are.
func printSummary(w io.Writer, s *report.Summary) {
	rows, sources := 0, 0
	for _, src := range s.Sources {
		rows += src.Rows
		sources++
	}
	what := "dry run"
	if s.Mode != "dry-run" {
		what = "run"
	}
	fmt.Fprintf(w, "%s: %s, %d rows from %d source(s), %.1fs\n", s.Job, what, rows, sources, s.DurationSeconds)
	if s.Mode == "dry-run" {
		fmt.Fprintf(w, "  records: %d (%d valid, %d invalid, %d skipped)\n", s.Count("total"),
			s.Count(record.Valid), s.Count(record.Invalid), s.Count(record.Skipped))
	} else {
		fmt.Fprintf(w, "  records: %d (%d succeeded, %d failed, %d invalid, %d skipped, %d unknown, %d pending)\n", s.Count("total"),
			s.Count(record.Succeeded), s.Count(record.Failed), s.Count(record.Invalid), s.Count(record.Skipped),
			s.Count(record.Unknown), s.Count(record.Pending))
	}
	if c := s.Concurrency; c != nil {
		fmt.Fprintf(w, "  concurrency: %s\n", describeConcurrency(c))
	}
	// Skipped records only echo their parent's problem: the top errors are the causes.
	var causes []*report.ErrorGroup
	for _, g := range s.Errors {
		if g.Code != "parent" {
			causes = append(causes, g)
		}
	}
	if len(causes) > 0 {
		fmt.Fprintf(w, "  top errors:\n")
		for i, g := range causes {
			if i == 5 {
				fmt.Fprintf(w, "    ... %d more kinds of error in summary.json\n", len(causes)-5)
				break
			}
			what := g.Code
			if g.Property != "" {
				what = g.Property + " (" + g.Code + ")"
			}
			ex := g.Samples[0]
			example := ex.Message
			if ex.Cell != "" {
				example = ex.Cell + ": " + example
			}
			fmt.Fprintf(w, "    %5d  %-30s e.g. %s\n", g.Count, what, oneLine(example))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Sources)) {
		if unused := s.Sources[name].UnusedColumns; len(unused) > 0 {
			fmt.Fprintf(w, "  not read by any mapping, so not sent: %s: %s\n", name, oneLine(strings.Join(unused, ", ")))
		}
		for _, warning := range s.Sources[name].Warnings {
			fmt.Fprintf(w, "  warning: %s: %s\n", name, oneLine(warning))
		}
	}
	for _, note := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", oneLine(note))
	}
	if s.Payloads != nil {
		fmt.Fprintf(w, "  would send: %d request(s) with %d record(s), bodies in %s/\n", s.Payloads.Requests, s.Payloads.Records, report.PayloadsDir)
	}
	if len(s.FixFiles) > 0 {
		fmt.Fprintf(w, "  fix files: %s\n", strings.Join(s.FixFiles, ", "))
	}
	if len(s.Annotated) > 0 {
		fmt.Fprintf(w, "  annotated workbooks: %s\n", strings.Join(s.Annotated, ", "))
	}
	fmt.Fprintf(w, "run directory: %s\n", relPath(s.RunDir))
	if html := reportHTML(s); html != "" {
		fmt.Fprintf(w, "report: %s\n", relPath(html))
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 100 {
		return string(r[:99]) + "…"
	}
	return s
}

// relPath shows a path relative to the working directory when that is shorter.
func relPath(p string) string {
	if rel, err := filepath.Rel(".", p); err == nil && !strings.HasPrefix(rel, "..") && len(rel) < len(p) {
		return rel
	}
	return p
}
