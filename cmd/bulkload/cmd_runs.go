package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/rundir"
	"go.yaml.in/yaml/v3"
)

// runsOperands checks `bulkload runs`'s arguments: [prune] [JOB.yaml|DIR]; --keep and --dry-run
// belong to prune, which needs --keep.
func runsOperands(fs *flag.FlagSet, args []string) error {
	prune := len(args) > 0 && args[0] == "prune"
	if prune {
		args = args[1:]
	}
	if len(args) > 1 {
		return fmt.Errorf("%d arguments given (%s); give one JOB.yaml or DIR", len(args), quoteList(args))
	}
	keep := fs.Lookup("keep").Value.String()
	switch {
	case prune && keep == "":
		return fmt.Errorf("prune needs --keep N: how many of each job's newest dry runs to keep")
	case prune && fs.Lookup("latest").Value.String() == "true":
		return fmt.Errorf("--latest lists; it does not go with prune")
	case !prune && keep != "":
		return fmt.Errorf("--keep belongs to `bulkload runs prune`")
	case !prune && fs.Lookup("dry-run").Value.String() == "true":
		return fmt.Errorf("--dry-run belongs to `bulkload runs prune`")
	}
	return nil
}

func runsCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	jsonOut := fs.Bool("json", false, "print the runs (or what prune deleted) as JSON to stdout")
	latest := fs.Bool("latest", false, "print only the newest run directory's path (for scripts: sqlite3 \"$(bulkload runs --latest job.yaml)/run.db\")")
	keep := &keepFlag{}
	fs.Var(keep, "keep", "prune: how many of each job's newest dry runs to keep (`N`, 0 or more)")
	dryRun := fs.Bool("dry-run", false, "prune: say what would be deleted; delete nothing")
	return func(ctx context.Context, args []string, io streams) int {
		prune := len(args) > 0 && args[0] == "prune"
		if prune {
			args = args[1:]
		}
		base, job, code, ok := runsFolder(args, io)
		if !ok {
			return code
		}
		if prune {
			return pruneRuns(ctx, base, job, keep.n, *dryRun, *jsonOut, io)
		}
		runs, err := rundir.List(ctx, base, job)
		if err != nil {
			return runsError(err, io)
		}
		switch {
		case *latest && len(runs) == 0:
			fmt.Fprintf(io.err, "bulkload: no run directories in %s\n", base)
			writeJSONError(io, errorBody{Kind: "setup", Message: "no run directories in " + base, ExitCode: exitSomeFailed})
			return exitSomeFailed
		case *latest:
			fmt.Fprintln(io.out, runs[len(runs)-1].Dir)
		case *jsonOut:
			if runs == nil {
				runs = []rundir.Entry{}
			}
			enc := json.NewEncoder(io.out)
			enc.SetIndent("", "  ")
			_ = enc.Encode(map[string]any{"folder": base, "job": job, "runs": runs})
		default:
			writeRunsTable(io, base, runs)
		}
		return exitOK
	}
}

// keepFlag is --keep N: a count of 0 or more, "" until given.
type keepFlag struct {
	n   int
	set bool
}

func (k *keepFlag) String() string {
	if k == nil || !k.set {
		return ""
	}
	return strconv.Itoa(k.n)
}

func (k *keepFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a count of 0 or more, not %q", s)
	}
	k.n, k.set = n, true
	return nil
}

// runsFolder resolves `runs`'s operand: a job's spec (its report.dir and name), a folder of run
// directories (every job's), or none: ./runs.
func runsFolder(args []string, io streams) (base, job string, code int, ok bool) {
	given := len(args) > 0
	if !given {
		args = []string{"runs"}
	}
	fi, err := os.Stat(args[0])
	switch {
	case err != nil:
		msg := fmt.Sprintf("%v: give a JOB.yaml or the folder that holds its run directories", err)
		if !given && errors.Is(err, os.ErrNotExist) {
			msg = "no JOB.yaml or DIR given, and no runs folder here: give a JOB.yaml or the folder that holds its run directories"
		}
		return "", "", usageError(io, msg), false
	case fi.IsDir():
		return args[0], "", 0, true
	}
	name, dir, err := runsOfSpec(args[0])
	if err != nil {
		return "", "", usageError(io, err.Error()), false
	}
	if name == "" {
		j, ok := loadJob(args[0], io)
		if !ok {
			return "", "", exitUsage, false
		}
		name, dir = j.Name, j.Report.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(j.Dir, dir)
		}
	}
	base = dir
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(cwd, base); err == nil && !strings.HasPrefix(rel, "..") {
			base = rel // shown as the user would type it
		}
	}
	return base, name, 0, true
}

// runsOfSpec reads the job's name and report.dir (resolved against the spec's folder) from the
// spec at path, without loading the rest: listing a job's runs needs neither its credentials'
// environment nor its data files. name is "" when either refers to the environment: the spec
// must then be loaded whole.
func runsOfSpec(path string) (name, dir string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	var head struct {
		Name   string `yaml:"name"`
		Report struct {
			Dir string `yaml:"dir"`
		} `yaml:"report"`
	}
	if err := yaml.Unmarshal(data, &head); err != nil || head.Name == "" {
		return "", "", nil // loading it whole says what is wrong
	}
	if strings.Contains(head.Name, "${") || strings.Contains(head.Report.Dir, "${") {
		return "", "", nil
	}
	dir = cmp.Or(head.Report.Dir, "runs")
	if !filepath.IsAbs(dir) {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", "", err
		}
		dir = filepath.Join(filepath.Dir(abs), dir)
	}
	return head.Name, dir, nil
}

// writeRunsTable writes the runs, oldest first, one a line, the one to resume marked with *.
func writeRunsTable(io streams, base string, runs []rundir.Entry) {
	if len(runs) == 0 {
		fmt.Fprintf(io.out, "no run directories in %s\n", base)
		return
	}
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tRUN\tMODE\tSTATE\tSTARTED\tSIZE\tRECORDS")
	var resume *rundir.Entry
	for i, r := range runs {
		mark := ""
		if r.Resume {
			mark, resume = "*", &runs[i]
		}
		started := "?"
		if !r.Started.IsZero() {
			started = r.Started.UTC().Format("2006-01-02 15:04:05Z")
		}
		state := r.StateText()
		if r.Problem != "" && r.State != rundir.StateRunning {
			state += ": " + r.Problem
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark, r.Name, orUnknown(r.Mode), state, started, sizeText(r.SizeBytes), countsText(r.Records))
	}
	tw.Flush()
	if resume != nil {
		fmt.Fprintf(io.out, "* to finish it: bulkload run --resume %s\n", resume.Dir)
	}
}

// pruneRuns runs `bulkload runs prune`.
func pruneRuns(ctx context.Context, base, job string, keep int, dryRun, jsonOut bool, io streams) int {
	p, err := rundir.Prune(ctx, base, job, keep, dryRun)
	if jsonOut {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		spared := []map[string]any{}
		for _, s := range p.Spared {
			spared = append(spared, map[string]any{"run": s.Run, "why": s.Why})
		}
		deleted := p.Deleted
		if deleted == nil {
			deleted = []rundir.Entry{}
		}
		_ = enc.Encode(map[string]any{"folder": base, "dryRun": dryRun, "deleted": deleted, "spared": spared, "freedBytes": p.Freed})
	} else {
		verb, freed := "deleted", "freed"
		if dryRun {
			verb, freed = "would delete", "would free"
		}
		for _, r := range p.Deleted {
			fmt.Fprintf(io.out, "%s %s (dry run, %s, %s)\n", verb, r.Dir, r.StateText(), sizeText(r.SizeBytes))
		}
		for _, s := range p.Spared {
			fmt.Fprintf(io.out, "kept %s: %s\n", s.Run.Dir, s.Why)
		}
		fmt.Fprintf(io.out, "%s %s (%d run director%s)\n", freed, sizeText(p.Freed), len(p.Deleted), map[bool]string{true: "y", false: "ies"}[len(p.Deleted) == 1])
	}
	if err != nil {
		return runsError(err, io)
	}
	return exitOK
}

func runsError(err error, io streams) int {
	fmt.Fprintf(io.err, "bulkload: %v\n", err)
	writeJSONError(io, errorBody{Kind: "aborted", Message: err.Error(), ExitCode: exitAborted})
	return exitAborted
}

// statusOrder is the order counts are shown in; other statuses follow.
var statusOrder = []record.Status{record.Valid, record.Succeeded, record.Invalid, record.Failed, record.Skipped, record.Unknown, record.Pending}

// countsText is "200: 150 succeeded, 50 pending".
func countsText(counts map[string]int) string {
	if counts == nil {
		return "?"
	}
	parts := []string{}
	seen := map[string]bool{"total": true}
	for _, st := range statusOrder {
		s := string(st)
		seen[s] = true
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	for s, n := range counts {
		if !seen[s] && n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprint(counts["total"])
	}
	return fmt.Sprintf("%d: %s", counts["total"], strings.Join(parts, ", "))
}

// sizeText is n bytes in B, KiB, MiB or GiB.
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, u := float64(n)/unit, "KiB"
	for _, next := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, u = v/unit, next
	}
	return fmt.Sprintf("%.1f %s", v, u)
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
