package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SourceFile replaces one source's file for one invocation (`--source NAME=FILE`): a fix file run
// without editing the spec.
type SourceFile struct {
	// Name is the source's name in the spec.
	Name string
	// File is the replacement's absolute path; Path is how the user wrote it, which rows'
	// origins name (Source.Path).
	File string
	Path string
}

// UnknownSourceError is LoadWithSourceFiles' answer to a replacement for a source the job does
// not have.
type UnknownSourceError struct {
	Name string
	// Known are the job's source names, in the spec's order.
	Known []string
}

func (e *UnknownSourceError) Error() string {
	return fmt.Sprintf("--source %s: the job has no source %q%s (its sources: %s)", e.Name, e.Name,
		didYouMean(e.Name, e.Known), strings.Join(e.Known, ", "))
}

// LoadWithSourceFiles is Load with some sources' files replaced: each replacement is used as if
// the spec named it (its format from its extension unless the source declares one, the header
// checked against the mappings), except that it may lie outside the spec's folder. A name the
// job lacks is an *UnknownSourceError; a file that does not exist is one of the returned Errors.
// The replacements are kept in Job.SourceFiles, so that a run can record them.
func LoadWithSourceFiles(path string, lookupEnv func(string) (string, bool), files []SourceFile) (*Job, error) {
	return load(path, lookupEnv, files)
}

// replaceSourceFiles puts files into j before its checks; it reports files that do not exist
// to p and returns an *UnknownSourceError for a name j lacks.
func replaceSourceFiles(j *Job, files []SourceFile, p *problems) error {
	for _, sf := range files {
		src, ok := j.Source(sf.Name)
		if !ok {
			known := make([]string, 0, len(j.Sources))
			for _, s := range j.Sources {
				known = append(known, s.Name)
			}
			return &UnknownSourceError{Name: sf.Name, Known: known}
		}
		at := fmt.Sprintf("--source %s=%s", sf.Name, sf.Path)
		info, err := os.Stat(sf.File)
		switch {
		case err != nil:
			p.errs = append(p.errs, &Error{File: at, Msg: unwrapPathError(err).Error() + ": " + sf.File})
		case info.IsDir() && src.Format != "" && src.Format != "json":
			p.errs = append(p.errs, &Error{File: at, Msg: sf.File + " is a folder, not a file"})
		case !info.IsDir() && !info.Mode().IsRegular():
			p.errs = append(p.errs, &Error{File: at, Msg: sf.File + " is not a regular file"})
		}
		src.File, src.Path = filepath.Clean(sf.File), sf.Path
	}
	j.SourceFiles = slices.Clone(files)
	return nil
}
