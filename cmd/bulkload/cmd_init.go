package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/guess"
)

// initOptions are `bulkload init`'s flags.
type initOptions struct {
	target string
	out    string
	force  bool
	sample int
}

func (o *initOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.target, "target", "onkey", "the target kind the job is written for: "+strings.Join(guess.Targets, " or "))
	fs.StringVar(&o.out, "out", "", "the folder to write job.yaml and schemas/ into (default: the folder that holds the files); every FILE must be inside it")
	fs.BoolVar(&o.force, "force", false, "overwrite job.yaml and schema files that already exist")
	fs.IntVar(&o.sample, "sample", guess.DefaultSampleRows, "how many data rows of each source to look at")
}

func initCommand(fs *flag.FlagSet) func(context.Context, []string, streams) int {
	var o initOptions
	o.register(fs)
	return func(ctx context.Context, args []string, io streams) int {
		return initJob(ctx, args, o, io)
	}
}

// initOperands accepts one or more FILE.
func initOperands(_ *flag.FlagSet, args []string) error {
	if len(args) == 0 {
		return errors.New("no FILE given; give the CSV, XLSX or JSON files to start from")
	}
	return nil
}

// initJob guesses the sources of the files and writes job.yaml and one schema per source. It
// writes nothing when a file cannot be read or, without --force, a file to write exists.
func initJob(ctx context.Context, files []string, o initOptions, io streams) int {
	if !slices.Contains(guess.Targets, o.target) {
		return usageError(io, fmt.Sprintf("--target %q: want %s", o.target, strings.Join(guess.Targets, " or ")))
	}
	if o.sample < 1 {
		return usageError(io, fmt.Sprintf("--sample %d: must be at least 1", o.sample))
	}
	dir, err := initDir(files, o.out)
	if err != nil {
		return initFailed(io, err)
	}
	job := guess.Job{Target: o.target, SampleRows: o.sample, Name: jobName(files[0])}
	names := map[string]bool{}
	for _, f := range files {
		srcs, err := guess.File(ctx, f, guess.Options{SampleRows: o.sample, Dir: dir})
		if err != nil {
			return initFailed(io, err)
		}
		for _, s := range srcs {
			base := s.Name
			for n := 2; names[s.Name]; n++ {
				s.Name = fmt.Sprintf("%s_%d", base, n)
			}
			names[s.Name] = true
			job.Sources = append(job.Sources, s)
		}
	}
	writes := map[string][]byte{"job.yaml": job.YAML()}
	order := []string{"job.yaml"}
	for _, s := range job.Sources {
		writes[guess.SchemaFile(s)] = s.Schema()
		order = append(order, guess.SchemaFile(s))
	}
	if !o.force {
		var exist []string
		for _, name := range order {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				exist = append(exist, filepath.Join(dir, name))
			}
		}
		if len(exist) > 0 {
			return initFailed(io, fmt.Errorf("%s already exist%s; nothing was written (--force overwrites)", strings.Join(exist, ", "), map[bool]string{true: "s", false: ""}[len(exist) == 1]))
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "schemas"), 0o755); err != nil {
		return initFailed(io, err)
	}
	for _, name := range order {
		if err := os.WriteFile(filepath.Join(dir, name), writes[name], 0o644); err != nil {
			return initFailed(io, err)
		}
		fmt.Fprintf(io.out, "wrote %s\n", filepath.Join(dir, name))
	}
	fmt.Fprintf(io.out, "%d source(s) from %d file(s); check the comments in job.yaml, then: bulkload validate %s\n",
		len(job.Sources), len(files), filepath.Join(dir, "job.yaml"))
	return exitOK
}

// initFailed reports a file init cannot read or write and returns exitUsage: nothing was written.
func initFailed(io streams, err error) int {
	fmt.Fprintf(io.err, "bulkload init: %v\n", err)
	writeJSONError(io, errorBody{Kind: "setup", Message: err.Error(), ExitCode: exitUsage})
	return exitUsage
}

// initDir is the folder the job goes to: out, or the deepest folder that holds every file.
func initDir(files []string, out string) (string, error) {
	if out != "" {
		return filepath.Abs(out)
	}
	var dir string
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return "", err
		}
		d := filepath.Dir(abs) // for a folder of JSON files too: the job sits beside it
		for dir != "" && d != dir && !strings.HasPrefix(d, dir+string(filepath.Separator)) {
			dir = filepath.Dir(dir)
		}
		if dir == "" {
			dir = d
		}
	}
	return dir, nil
}

// jobName makes the job's name from a file's base name.
func jobName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	n := strings.Trim(b.String(), "-._")
	if n == "" {
		return "job"
	}
	return n
}
