package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"golang.org/x/term"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/spec"
)

// Exit codes, as DESIGN.md defines them.
const (
	exitOK          = 0   // every record succeeded (dry run: is valid)
	exitSomeFailed  = 1   // finished; some records failed, invalid, skipped or unknown
	exitUsage       = 2   // usage or spec error; nothing was read or sent
	exitAborted     = 3   // aborted: auth refused, target unreachable, error threshold, unreadable input
	exitInterrupted = 130 // interrupted
)

// streams are the command's standard streams, with whether stderr is a terminal (progress bars
// are drawn only then).
type streams struct {
	in            io.Reader
	out, err      io.Writer
	errIsTerminal bool
	command       string // the command line, for the run directory's lock file (commandLine)
}

func newStreams(in io.Reader, out, err io.Writer) streams {
	s := streams{in: in, out: out, err: err}
	if f, ok := err.(*os.File); ok {
		s.errIsTerminal = term.IsTerminal(int(f.Fd()))
	}
	return s
}

// command is one subcommand: its flags, usage and body.
type command struct {
	name    string
	args    string
	summary string
	flags   func(fs *flag.FlagSet) func(ctx context.Context, args []string, io streams) int
}

func commands() []command {
	return []command{
		{"run", "JOB.yaml | --resume RUNDIR", "read, validate and map every row, send the valid records to the target, report every record's outcome; or finish a stopped run", runCommandFlags},
		{"validate", "JOB.yaml", "dry run: read, type, validate and map every row; write the report and the payloads; send nothing", validateCommand},
		{"reconcile", "RUNDIR", "check a run's succeeded and unknown records against On Key (exists checks); write reconcile.jsonl; change nothing", reconcileCommand},
		{"sandbox", "", "serve the built-in sandbox (On Key and Onix Work) on loopback, for rehearsals and tests", sandboxCommand},
		{"schema", "", "print the job spec's JSON Schema (for editors)", schemaCommand},
		{"version", "", "print the version", versionCommand},
	}
}

// run is the whole program: it parses args, runs one subcommand and returns the exit code.
func run(ctx context.Context, args []string, io streams) int {
	io.command = commandLine(args)
	if len(args) == 0 {
		usage(io.err)
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 {
			return runCommand(ctx, args[1], []string{"-h"}, io)
		}
		usage(io.out)
		return exitOK
	}
	return runCommand(ctx, name, args[1:], io)
}

func runCommand(ctx context.Context, name string, args []string, io streams) int {
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		fs := flag.NewFlagSet("bulkload "+c.name, flag.ContinueOnError)
		fs.SetOutput(io.err)
		body := c.flags(fs)
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "usage: bulkload %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
			if hasFlags(fs) {
				fmt.Fprintf(fs.Output(), "\nflags:\n")
				fs.PrintDefaults()
			}
			fmt.Fprint(fs.Output(), exitCodesHelp)
		}
		positional, err := parseInterspersed(fs, args)
		if err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		return body(ctx, positional, io)
	}
	fmt.Fprintf(io.err, "bulkload: unknown command %q\n\n", name)
	usage(io.err)
	return exitUsage
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

const exitCodesHelp = `
exit codes:
  0    every record succeeded (dry run: every record is valid)
  1    the run finished and some records are failed, invalid, skipped or unknown
  2    usage or spec error: nothing was read or sent
  3    the run was aborted (authentication refused, target unreachable, error threshold, unreadable input)
  130  interrupted
`

func usage(w io.Writer) {
	fmt.Fprintf(w, "bulkload: declarative bulk imports from CSV, XLSX and JSON files into On Key and Onix Work\n\nusage: bulkload COMMAND [flags] [args]\n\ncommands:\n")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\n`bulkload help COMMAND` or `bulkload COMMAND -h` shows a command's flags.\n%s", exitCodesHelp)
}

// loadJob loads a spec, printing its problems; ok is false when the command must exit 2.
func loadJob(path string, io streams) (*spec.Job, bool) {
	job, err := spec.Load(path, nil)
	if err != nil {
		fmt.Fprintln(io.err, strings.TrimRight(err.Error(), "\n"))
		var errs spec.Errors
		if errors.As(err, &errs) {
			fmt.Fprintf(io.err, "bulkload: %s has %d problem(s); nothing was read or sent\n", path, len(errs))
		}
		return nil, false
	}
	return job, true
}

// runError prints a run-fatal error and returns its exit code.
func runError(ctx context.Context, err error, io streams) int {
	var setup *pipeline.SetupError
	switch {
	case errors.As(err, &setup):
		fmt.Fprintf(io.err, "bulkload: %v\nbulkload: nothing was read or sent\n", err)
		return exitUsage
	case ctx.Err() != nil:
		fmt.Fprintf(io.err, "bulkload: interrupted\n")
		return exitInterrupted
	default:
		fmt.Fprintf(io.err, "bulkload: aborted: %v\n", err)
		return exitAborted
	}
}

// parseInterspersed parses args with fs, accepting flags after the positional arguments too
// (`bulkload validate job.yaml --out runs/x`), and returns the positional ones. "--" ends the
// flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
