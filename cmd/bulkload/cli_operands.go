package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
)

// noOperands accepts no positional arguments.
func noOperands(_ *flag.FlagSet, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument%s %s: this command takes none", plural(len(args)), quoteList(args))
	}
	return nil
}

// exactlyOne accepts one positional argument, described as what ("JOB.yaml").
func exactlyOne(what string) func(*flag.FlagSet, []string) error {
	return func(_ *flag.FlagSet, args []string) error {
		switch len(args) {
		case 1:
			return nil
		case 0:
			return fmt.Errorf("no %s given", what)
		default:
			return fmt.Errorf("%d arguments given (%s); give one %s", len(args), quoteList(args), what)
		}
	}
}

// exactlyOneOf accepts one positional argument among choices, described as what ("shell").
func exactlyOneOf(what string, choices []string) func(*flag.FlagSet, []string) error {
	one := exactlyOne(what + " (" + strings.Join(choices, ", ") + ")")
	return func(fs *flag.FlagSet, args []string) error {
		if err := one(fs, args); err != nil {
			return err
		}
		if !slices.Contains(choices, args[0]) {
			msg := fmt.Sprintf("unknown %s %q; want one of %s", what, args[0], strings.Join(choices, ", "))
			if s := suggest(args[0], choices); len(s) > 0 {
				msg += " (did you mean " + strings.Join(quoteAll(s), " or ") + "?)"
			}
			return fmt.Errorf("%s", msg)
		}
		return nil
	}
}

// runOperands checks `bulkload run`'s arguments: one JOB.yaml, or none with --resume; the flags
// that only apply to a resume need --resume.
func runOperands(fs *flag.FlagSet, args []string) error {
	if fs.Lookup("resume").Value.String() != "" {
		if len(args) > 0 {
			return fmt.Errorf("--resume RUNDIR takes no JOB.yaml (the run's own spec is used); got %s", quoteList(args))
		}
		return nil
	}
	for _, name := range []string{"retry-failed", "force"} {
		if fs.Lookup(name).Value.String() == "true" {
			return fmt.Errorf("--%s needs --resume RUNDIR", name)
		}
	}
	if len(args) == 0 {
		return fmt.Errorf("no JOB.yaml given (or --resume RUNDIR to finish a stopped run)")
	}
	return exactlyOne("JOB.yaml")(fs, args)
}

func quoteList(args []string) string { return strings.Join(quoteAll(args), ", ") }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
