package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

// completionShells are the shells `bulkload completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

func completionCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	return func(_ context.Context, args []string, io streams) int {
		var script string
		m := completionModel()
		switch args[0] {
		case "bash":
			script = bashCompletion(m)
		case "zsh":
			script = zshCompletion(m)
		case "fish":
			script = fishCompletion(m)
		}
		if _, err := fmt.Fprint(io.out, script); err != nil {
			return exitAborted
		}
		return exitOK
	}
}

// valueKind is what a flag's value or a command's operand completes to.
type valueKind struct {
	// kind is "" (nothing to offer), "file", "yaml" (*.yaml and *.yml files), "dir" or "words".
	kind  string
	words []string
}

// complCommand is one command as the completion scripts see it.
type complCommand struct {
	name, summary string
	flags         []complFlag
	operand       valueKind
}

// complFlag is one flag of a command: takesValue is false for boolean flags.
type complFlag struct {
	name, usage string
	takesValue  bool
	value       valueKind
}

// flagValues are the flag values worth completing, by flag name; other flags' values are not
// completed. Every name is a flag of some command (TestCompletionFlagValuesAreFlags).
var flagValues = map[string]valueKind{
	"out":            {kind: "dir"},
	"resume":         {kind: "dir"},
	"config":         {kind: "yaml"},
	"sandbox-config": {kind: "yaml"},
	"mode":           {kind: "words", words: []string{"PerRecord", "AllOrNone"}},
}

// completionModel describes every command and its flags from the same FlagSets the commands
// parse with, so that the scripts list exactly the flags there are.
func completionModel() []complCommand {
	var names []string
	var out []complCommand
	for _, c := range commands() {
		names = append(names, c.name)
		fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
		c.flags(fs)
		cc := complCommand{name: c.name, summary: c.summary, operand: operandKind(c.args)}
		fs.VisitAll(func(f *flag.Flag) {
			bf, isBool := f.Value.(interface{ IsBoolFlag() bool })
			cc.flags = append(cc.flags, complFlag{name: f.Name, usage: f.Usage, takesValue: !(isBool && bf.IsBoolFlag()), value: flagValues[f.Name]})
		})
		out = append(out, cc)
	}
	out = append(out, complCommand{name: "help", summary: "show the usage of bulkload, or of a command", operand: valueKind{kind: "words", words: names}})
	return out
}

// operandKind reads what a command's operands complete to from its synopsis: "JOB.yaml..." is
// job files, "RUNDIR" directories, "a|b|c" one of those words.
func operandKind(args string) valueKind {
	first, _, _ := strings.Cut(args, " ")
	switch {
	case first == "":
		return valueKind{}
	case strings.HasSuffix(first, ".yaml"):
		return valueKind{kind: "yaml"}
	case strings.HasSuffix(first, "DIR"):
		return valueKind{kind: "dir"}
	case strings.Contains(first, "|"):
		return valueKind{kind: "words", words: strings.Split(first, "|")}
	default:
		return valueKind{kind: "file"}
	}
}

// brief is the first clause of a usage text, for the one-line descriptions shells show.
func brief(s string) string {
	if i := strings.Index(s, ";"); i > 0 {
		s = s[:i]
	}
	if i := strings.Index(s, " ("); i > 12 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
