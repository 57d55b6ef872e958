package pipeline

import (
	"errors"
	"fmt"

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

// plan is a job made ready to run: every source open (headers checked), every schema and
// expression compiled. Close releases the sources.
type plan struct {
	job     *spec.Job
	sources []*sourcePlan
}

// prepare compiles and opens everything the job needs, reporting every problem it finds at once.
func prepare(job *spec.Job) (*plan, error) { return prepareWith(job, readers.Open) }

// prepareWith is prepare opening each source with open (readers.Open, or readers.OpenHead for
// reading the first rows only).
func prepareWith(job *spec.Job, open func(*spec.Source) (readers.Source, error)) (*plan, error) {
	mappings, err := transforms.Compile(job)
	if err != nil {
		return nil, &SetupError{err}
	}
	p := &plan{job: job}
	files := map[string]bool{}
	for _, src := range job.Sources {
		files[src.File] = true
	}
	var errs []error
	for i := range job.Sources {
		src := &job.Sources[i]
		sp := &sourcePlan{spec: src, kind: job.Target.Kind, mappings: mappings.ForSource(src.Name), nameFile: len(files) > 1,
			validationOnly: job.ValidationOnly(), folder: isFolder(src)}
		if sp.schema, err = schemas.LoadRow(src.Schema); err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", src.Name, err))
			continue
		}
		if sp.typer, err = transforms.NewTyper(src, sp.schema); err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", src.Name, err))
			continue
		}
		if sp.reader, err = open(src); err != nil {
			errs = append(errs, err)
			continue
		}
		p.sources = append(p.sources, sp)
		if h, ok := sp.reader.(readers.Headed); ok {
			if err := transforms.CheckHeader(job, src, h.Header(), h.HeaderAt(), sp.schema, sp.mappings); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		p.Close()
		return nil, &SetupError{errors.Join(errs...)}
	}
	return p, nil
}

// Close closes every open source.
func (p *plan) Close() error {
	var errs []error
	for _, sp := range p.sources {
		if sp.reader != nil {
			errs = append(errs, sp.reader.Close())
		}
	}
	return errors.Join(errs...)
}
