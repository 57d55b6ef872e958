package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/spec"
)

// errorReport is what a command given --json writes to stdout when it fails before it has a
// summary to print: {"error": {...}}. Human messages still go to stderr.
type errorReport struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	// Kind is usage, spec, setup, aborted or interrupted.
	Kind    string `json:"kind"`
	Command string `json:"command,omitempty"`
	Message string `json:"message"`
	// ExitCode is the code the command exits with.
	ExitCode   int      `json:"exit_code"`
	DidYouMean []string `json:"did_you_mean,omitempty"`
	// Problems are a spec's errors, each placed in its file.
	Problems []specProblem `json:"problems,omitempty"`
}

// specProblem is one spec error: line and column are absent when the problem has no place.
type specProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// writeJSONError writes body to stdout as an errorReport when the command was given --json.
func writeJSONError(io streams, body errorBody) {
	if !io.json {
		return
	}
	if io.cmd != nil {
		body.Command = io.cmd.name
	}
	enc := json.NewEncoder(io.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(errorReport{Error: body})
}

// usageError reports a usage problem of the running command (or of the program, before a
// command is chosen) on stderr, with the synopsis and where help is, and returns exitUsage.
func usageError(io streams, msg string, suggestions ...string) int {
	if len(suggestions) > 0 {
		msg += " (did you mean " + strings.Join(suggestions, " or ") + "?)"
	}
	if c := io.cmd; c != nil {
		fmt.Fprintf(io.err, "bulkload %s: %s\nusage: %s (`bulkload %s -h` for more)\n", c.name, msg, synopsis(c), c.name)
	} else {
		fmt.Fprintf(io.err, "bulkload: %s\n`bulkload help` lists the commands\n", msg)
	}
	writeJSONError(io, errorBody{Kind: "usage", Message: msg, ExitCode: exitUsage, DidYouMean: suggestions})
	return exitUsage
}

// unknownCommand reports a command name that is not one, suggesting the nearest ones.
func unknownCommand(name string, io streams) int {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	slices.Sort(names)
	sugg := suggest(name, append(names, "help"))
	msg := fmt.Sprintf("unknown command %q", name)
	if len(sugg) == 0 {
		msg += "; the commands are " + strings.Join(names, ", ")
	}
	return usageError(io, msg, quoteAll(sugg)...)
}

// unknownTopFlag reports a flag given before any command.
func unknownTopFlag(arg string, io streams) int {
	name := flagName(arg)
	if sugg := suggest(name, []string{"help", "version"}); len(sugg) > 0 {
		return usageError(io, fmt.Sprintf("unknown flag %s", arg), dashAll(sugg)...)
	}
	msg := fmt.Sprintf("unknown flag %s: the only flags before a command are --help and --version", arg)
	if owners := flagOwners(name); len(owners) > 0 {
		msg = fmt.Sprintf("%s is a flag of %s: give it after the command (bulkload %s %s ...)", arg, strings.Join(owners, ", "), strings.TrimPrefix(owners[0], "bulkload "), arg)
	}
	return usageError(io, msg)
}

var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	singleDash    = regexp.MustCompile(`(\s)-([A-Za-z][\w-]*)`)
	badValue      = regexp.MustCompile(`^invalid (?:boolean )?value ".*" for (?:flag )?-(\S+): parse error$`)
)

// wantedValue says what kind of value the flag f takes ("an integer"); "" when unknown.
func wantedValue(f *flag.Flag) string {
	if f == nil {
		return ""
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case bool:
		return "true or false"
	case int, int64, uint, uint64:
		return "an integer"
	case float64:
		return "a number"
	case time.Duration:
		return "a duration such as 30s or 5m"
	}
	return ""
}

// flagProblem turns an error of the flag package into the message usageError prints: an
// unknown flag with the nearest flags of c, or the flag of another command it is.
func flagProblem(err error, c *command, fs *flag.FlagSet) (string, []string) {
	m := undefinedFlag.FindStringSubmatch(err.Error())
	if m == nil {
		msg := singleDash.ReplaceAllString(err.Error(), "$1--$2")
		if v := badValue.FindStringSubmatch(err.Error()); v != nil {
			if want := wantedValue(fs.Lookup(v[1])); want != "" {
				msg = strings.TrimSuffix(msg, ": parse error") + ": want " + want
			}
		}
		return msg, nil
	}
	name := m[1]
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if sugg := suggest(name, append(slices.Clone(names), "help")); len(sugg) > 0 {
		return "unknown flag --" + name, dashAll(sugg)
	}
	msg := "unknown flag --" + name
	if owners := flagOwners(name); len(owners) > 0 {
		msg += fmt.Sprintf(": it is a flag of %s, not of bulkload %s", strings.Join(owners, ", "), c.name)
	} else if len(names) == 0 {
		msg += fmt.Sprintf(": bulkload %s takes no flags", c.name)
	}
	return msg, nil
}

// flagOwners names the commands that define the flag called name ("bulkload run").
func flagOwners(name string) []string {
	var owners []string
	for _, c := range commands() {
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs)
		if fs.Lookup(name) != nil {
			owners = append(owners, "bulkload "+c.name)
		}
	}
	return owners
}

// flagName is arg without its dashes and value: "--out=x" is "out".
func flagName(arg string) string {
	name := strings.TrimLeft(arg, "-")
	name, _, _ = strings.Cut(name, "=")
	return name
}

func dashAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return out
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

// loadJob loads a spec, printing its problems; ok is false when the command must exit 2.
func loadJob(path string, io streams) (*spec.Job, bool) {
	return loadJobWith(path, nil, io)
}

// loadJobWith is loadJob with sources' files replaced (--source).
func loadJobWith(path string, files []spec.SourceFile, io streams) (*spec.Job, bool) {
	job, err := spec.LoadWithSourceFiles(path, nil, files)
	if err == nil {
		return job, true
	}
	if _, ok := unknownSource(err, io); ok {
		return nil, false
	}
	fmt.Fprintln(io.err, strings.TrimRight(err.Error(), "\n"))
	body := errorBody{Kind: "spec", Message: err.Error(), ExitCode: exitUsage}
	var errs spec.Errors
	if errors.As(err, &errs) {
		body.Message = fmt.Sprintf("%s has %d problem(s); nothing was read or sent", path, len(errs))
		fmt.Fprintf(io.err, "bulkload: %s\n", body.Message)
		for _, e := range errs {
			body.Problems = append(body.Problems, specProblem{File: e.File, Line: e.Line, Column: e.Col, Path: e.Path, Message: e.Msg})
		}
	}
	writeJSONError(io, body)
	return nil, false
}

// runError prints a run-fatal error and returns its exit code: a setup error (pipeline's or
// evaluate's: nothing was read or sent) exits 2.
func runError(ctx context.Context, err error, io streams) int {
	var setup *pipeline.SetupError
	var evalSetup *evaluate.SetupError
	var abort *pipeline.AbortError
	switch {
	case errors.As(err, &setup), errors.As(err, &evalSetup):
		fmt.Fprintf(io.err, "bulkload: %v; nothing was read or sent\n", err)
		writeJSONError(io, errorBody{Kind: "setup", Message: err.Error() + "; nothing was read or sent", ExitCode: exitUsage})
		return exitUsage
	case errors.As(err, &abort):
		fmt.Fprintf(io.err, "bulkload: %v\n", err) // it says "aborted: " and why
		writeJSONError(io, errorBody{Kind: "aborted", Message: err.Error(), ExitCode: exitAborted})
		return exitAborted
	case ctx.Err() != nil:
		fmt.Fprintf(io.err, "bulkload: interrupted\n")
		writeJSONError(io, errorBody{Kind: "interrupted", Message: "interrupted", ExitCode: exitInterrupted})
		return exitInterrupted
	default:
		fmt.Fprintf(io.err, "bulkload: aborted: %v\n", err)
		writeJSONError(io, errorBody{Kind: "aborted", Message: err.Error(), ExitCode: exitAborted})
		return exitAborted
	}
}
