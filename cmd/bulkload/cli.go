package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/term"
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
// are drawn only then), and what the running command needs to report its errors.
type streams struct {
	in            io.Reader
	out, err      io.Writer
	errIsTerminal bool
	// errWidth and outWidth measure the columns of stderr and stdout when they are terminals
	// (nil otherwise), each time they are called: the window may have been resized.
	errWidth, outWidth func() int
	// cmd is the command running; nil before one is chosen.
	cmd *command
	// json is set when the command was given --json: errors are then also written to out, as
	// one JSON object (see errorReport).
	json bool
	// invocation is the command line, for the run directory's lock file (commandLine).
	invocation string
}

// discard is io.Discard, for functions whose streams parameter is called io.
var discard = io.Discard

func newStreams(in io.Reader, out, err io.Writer) streams {
	s := streams{in: in, out: out, err: err}
	if f, ok := err.(*os.File); ok {
		s.errIsTerminal = term.IsTerminal(int(f.Fd()))
		if s.errIsTerminal {
			s.errWidth = terminalWidth(f)
		}
	}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		s.outWidth = terminalWidth(f)
	}
	return s
}

// command is one subcommand: its flags, operands, usage and body.
type command struct {
	name    string
	args    string
	summary string
	// flags defines the command's flags on fs and returns its body, which runs with the
	// operands (the positional arguments) once the flags are parsed and operands accepted them.
	flags func(fs *flag.FlagSet) func(ctx context.Context, args []string, io streams) int
	// operands checks the positional arguments after the flags are parsed, saying what is
	// wrong; nil: the command takes none.
	operands func(fs *flag.FlagSet, args []string) error
}

func commands() []command {
	return []command{
		{name: "run", args: "JOB.yaml | --resume RUNDIR", summary: "read, validate and map every row, send the valid records to the target, report every record's outcome; or finish a stopped run",
			flags: runCommandFlags, operands: runOperands},
		{name: "init", args: "FILE...", summary: "write a starter job.yaml and one JSON Schema per source, guessed from the data files alone",
			flags: initCommand, operands: initOperands},
		{name: "validate", args: "JOB.yaml", summary: "dry run: read, type, validate and map every row; write the report and the payloads; send nothing",
			flags: validateCommand, operands: exactlyOne("JOB.yaml")},
		{name: "test", args: "[JOB.yaml]", summary: "run the job's mapping tests (<job>.tests.yaml: rows in, records and errors expected), then check what no mapping reads or sets",
			flags: mapTestCommand, operands: atMostOneJob},
		{name: "preview", args: "JOB.yaml", summary: "show the first rows of each source typed, and the records and requests they map to, with their errors; write nothing",
			flags: previewCommand, operands: exactlyOne("JOB.yaml")},
		{name: "reconcile", args: "RUNDIR", summary: "check a run's succeeded and unknown records against On Key (exists checks); write reconcile.jsonl; change nothing",
			flags: reconcileCommand, operands: exactlyOne("RUNDIR")},
		{name: "runs", args: "[prune] [JOB.yaml | DIR]", summary: "list a job's run directories (mode, state, counts, start, size; the one to --resume marked), or prune its older dry runs",
			flags: runsCommand, operands: runsOperands},
		{name: "sandbox", summary: "serve the built-in sandbox (On Key and Onix Work) on loopback, for rehearsals and tests; or print its config",
			flags: sandboxCommand},
		{name: "schema", summary: "print the job spec's JSON Schema (for editors)", flags: schemaCommand},
		{name: "version", summary: "print the version and the source revision bulkload was built from", flags: versionCommand},
		{name: "completion", args: strings.Join(completionShells, "|"), summary: "print a shell completion script (commands, flags, files)",
			flags: completionCommand, operands: exactlyOneOf("shell", completionShells)},
	}
}

// findCommand returns the command called name, or nil.
func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return &c
		}
	}
	return nil
}

// run is the whole program: it parses args, runs one subcommand and returns the exit code.
func run(ctx context.Context, args []string, io streams) int {
	io.invocation = commandLine(args)
	if len(args) == 0 {
		fmt.Fprintf(io.err, "bulkload: no command given\n\n")
		usage(io.err)
		return exitUsage
	}
	switch name := args[0]; name {
	case "help", "-h", "-help", "--help":
		return help(ctx, args[1:], io)
	case "-version", "--version":
		return runCommand(ctx, "version", args[1:], io)
	default:
		if strings.HasPrefix(name, "-") {
			return unknownTopFlag(name, io)
		}
		return runCommand(ctx, name, args[1:], io)
	}
}

// help prints the usage of the program, or of the command named in args, on stdout.
func help(ctx context.Context, args []string, io streams) int {
	switch len(args) {
	case 0:
		usage(io.out)
		return exitOK
	case 1:
		if strings.HasPrefix(args[0], "-") && flagName(args[0]) == "h" || flagName(args[0]) == "help" {
			usage(io.out)
			return exitOK
		}
		return runCommand(ctx, args[0], []string{"-h"}, io)
	default:
		return usageError(io, fmt.Sprintf("help takes one COMMAND, not %d arguments (%s)", len(args), strings.Join(args, " ")))
	}
}

func runCommand(ctx context.Context, name string, args []string, io streams) int {
	c := findCommand(name)
	if c == nil {
		return unknownCommand(name, io)
	}
	io.cmd = c
	fs := flag.NewFlagSet("bulkload "+c.name, flag.ContinueOnError)
	// The flag package's own messages are replaced by usageError's.
	fs.SetOutput(discard)
	fs.Usage = func() {}
	body := c.flags(fs)
	positional, err := parseInterspersed(fs, args)
	io.json = wantsJSON(fs, args, err == nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
		io.json = false
		commandUsage(io.out, c, fs)
		return exitOK
	case err != nil:
		msg, suggestions := flagProblem(err, c, fs)
		return usageError(io, msg, suggestions...)
	}
	check := c.operands
	if check == nil {
		check = noOperands
	}
	if err := check(fs, positional); err != nil {
		return usageError(io, err.Error())
	}
	fs.SetOutput(io.err)
	fs.Usage = func() { commandUsage(io.err, c, fs) }
	return body(ctx, positional, io)
}

// wantsJSON tells whether the command was given --json: from the parsed flag when parsing
// succeeded, else from the arguments as written (so that a usage error is JSON too).
func wantsJSON(fs *flag.FlagSet, args []string, parsed bool) bool {
	f := fs.Lookup("json")
	if f == nil {
		return false
	}
	if parsed {
		return f.Value.String() == "true"
	}
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-json", "--json", "-json=true", "--json=true":
			return true
		}
	}
	return false
}

// commandUsage writes c's usage: synopsis, summary, flags and exit codes.
func commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis(c), c.summary)
	if hasFlags(fs) {
		fmt.Fprintf(w, "\nflags:\n")
		var defaults strings.Builder
		fs.SetOutput(&defaults)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		fmt.Fprint(w, flagLine.ReplaceAllString(defaults.String(), "$1--"))
	}
	fmt.Fprint(w, exitCodesHelp)
}

// synopsis is c's one-line usage: "bulkload validate [flags] JOB.yaml".
func synopsis(c *command) string {
	return strings.TrimSpace(fmt.Sprintf("bulkload %s [flags] %s", c.name, c.args))
}

// flagLine finds the single dash the flag package writes before each flag's name.
var flagLine = regexp.MustCompile(`(?m)^(\s+)-`)

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
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "help", "show the usage of bulkload, or of a command")
	fmt.Fprintf(w, "\n`bulkload help COMMAND` or `bulkload COMMAND -h` shows a command's flags; `bulkload --version` the version.\n%s", exitCodesHelp)
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
