package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/bulkload/bulkload/spec"
)

// sourceFlag is the repeatable flag `--source NAME=FILE`: the job runs with source NAME read from
// FILE instead of the spec's file (a fix file, corrected), FILE resolved against the working
// directory.
type sourceFlag []spec.SourceFile

func (f *sourceFlag) String() string {
	if f == nil {
		return ""
	}
	parts := make([]string, len(*f))
	for i, sf := range *f {
		parts[i] = sf.Name + "=" + sf.Path
	}
	return strings.Join(parts, " ")
}

// Set takes one NAME=FILE.
func (f *sourceFlag) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" || file == "" {
		return fmt.Errorf("%q: want NAME=FILE, the name of one of the job's sources and the file to read it from", v)
	}
	for _, sf := range *f {
		if sf.Name == name {
			return fmt.Errorf("source %s given twice (%s and %s)", name, sf.Path, file)
		}
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	*f = append(*f, spec.SourceFile{Name: name, File: abs, Path: file})
	return nil
}

// unknownSource reports a --source NAME the job lacks as a usage error, suggesting the nearest
// names; it reports false for any other error.
func unknownSource(err error, io streams) (int, bool) {
	var unknown *spec.UnknownSourceError
	if !errors.As(err, &unknown) {
		return 0, false
	}
	msg := fmt.Sprintf("--source %s: the job has no source %q (its sources: %s)", unknown.Name, unknown.Name, strings.Join(unknown.Known, ", "))
	return usageError(io, msg, suggest(unknown.Name, unknown.Known)...), true
}
