package evaluate

import (
	"errors"
	"fmt"
	"os"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// SetupError is a problem found before any row is read: a schema that does not compile, a
// header with empty or duplicate names, a sheet that does not exist. The CLI exits 2 for it.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// Job is a job made ready to evaluate: every schema, typer and expression compiled, and, when
// made by Prepare, every source open with its header checked. Close releases the sources. Its
// sources' Evaluate may be called from several goroutines at once; Stream reads each source
// once.
type Job struct {
	job      *spec.Job
	mappings *transforms.Mappings
	sources  []*Source
}

// Prepare compiles and opens everything the job needs, reporting every problem it finds at once
// as a *SetupError.
func Prepare(job *spec.Job) (*Job, error) { return PrepareWith(job, readers.Open) }

// PrepareWith is Prepare opening each source with open (readers.Open, or readers.OpenHead for
// reading the first rows only).
func PrepareWith(job *spec.Job, open func(*spec.Source) (readers.Source, error)) (*Job, error) {
	mappings, err := transforms.Compile(job)
	if err != nil {
		return nil, &SetupError{err}
	}
	j := &Job{job: job, mappings: mappings}
	files := map[string]bool{}
	for _, src := range job.Sources {
		files[src.File] = true
	}
	var errs []error
	for i := range job.Sources {
		src := &job.Sources[i]
		s := &Source{spec: src, kind: job.Target.Kind, mappings: mappings.ForSource(src.Name), nameFile: len(files) > 1,
			validationOnly: job.ValidationOnly(), folder: isFolder(src)}
		if s.schema, err = schemas.LoadRow(src.Schema); err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", src.Name, err))
			continue
		}
		if s.typer, err = transforms.NewTyper(src, s.schema); err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", src.Name, err))
			continue
		}
		if s.reader, err = open(src); err != nil {
			errs = append(errs, err)
			continue
		}
		j.sources = append(j.sources, s)
		if h, ok := s.reader.(readers.Headed); ok {
			if err := transforms.CheckHeader(job, src, h.Header(), h.HeaderAt(), s.schema, s.mappings); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		j.Close()
		return nil, &SetupError{errors.Join(errs...)}
	}
	return j, nil
}

// Compile compiles the job's schemas, typers and mappings without opening a source, for rows
// given inline (a mapping test): the first problem is a *SetupError. Its sources have no reader
// (Source.Reader is nil), their cell references do not name their file, and the rows of a
// validation-only job make no record.
func Compile(job *spec.Job) (*Job, error) {
	mappings, err := transforms.Compile(job)
	if err != nil {
		return nil, &SetupError{err}
	}
	j := &Job{job: job, mappings: mappings}
	for i := range job.Sources {
		src := &job.Sources[i]
		s := &Source{spec: src, kind: job.Target.Kind, mappings: mappings.ForSource(src.Name)}
		if s.schema, err = schemas.LoadRow(src.Schema); err != nil {
			return nil, &SetupError{fmt.Errorf("source %s: %w", src.Name, err)}
		}
		if s.typer, err = transforms.NewTyper(src, s.schema); err != nil {
			return nil, &SetupError{fmt.Errorf("source %s: %w", src.Name, err)}
		}
		j.sources = append(j.sources, s)
	}
	return j, nil
}

// Sources returns the job's sources in spec order.
func (j *Job) Sources() []*Source { return j.sources }

// Source returns the source of the given name, nil when the job has none.
func (j *Job) Source(name string) *Source {
	for _, s := range j.sources {
		if s.spec.Name == name {
			return s
		}
	}
	return nil
}

// Close closes every open source.
func (j *Job) Close() error {
	var errs []error
	for _, s := range j.sources {
		if s.reader != nil {
			errs = append(errs, s.reader.Close())
		}
	}
	return errors.Join(errs...)
}

// isFolder reports whether the source's file is a folder (of JSON documents).
func isFolder(src *spec.Source) bool {
	fi, err := os.Stat(src.File)
	return err == nil && fi.IsDir()
}
