package pipeline

import (
	"fmt"
	"os"
	"strconv"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// A validation-only job (spec.Job.ValidationOnly: no entities, and usually no target) has its
// rows typed and validated against their schemas and nothing more. Each row is one record, so
// that the store and every report treat it like any other:
//
//   - entity: the source's name; kind, entity type and action: empty; no body;
//   - userObjectId: "<source>:<line>" (the CSV line on which the row starts, the Excel row
//     number, the JSONL line, the element's position in a JSON array), and for a source that is
//     a folder of JSON documents, or a row exploded from a nested array,
//     "<source>:<file>:<line><JSON pointer>", since lines repeat across documents;
//   - status: valid, or invalid with the row's problems as its messages.
//
// Such a job is never run: RefuseValidationOnly says what to add.

// validationRecord is the one record a row of a validation-only job makes.
func (p *sourcePlan) validationRecord(row readers.Row, msgs []Message) []Entry {
	uoid := p.spec.Name + ":" + strconv.Itoa(row.Origin.Line)
	if p.folder || row.Origin.Path != "" {
		uoid = p.spec.Name + ":" + row.Origin.File + ":" + strconv.Itoa(row.Origin.Line) + row.Origin.Path
	}
	e := Entry{Record: transforms.Record{UserObjectID: uoid, Entity: p.spec.Name}, Status: Valid,
		Source: p.spec.Name, Origin: row.Origin}
	if len(msgs) > 0 {
		e.Status, e.Messages = Invalid, msgs
	}
	return []Entry{e}
}

// isFolder reports whether the source's file is a folder (of JSON documents).
func isFolder(src *spec.Source) bool {
	fi, err := os.Stat(src.File)
	return err == nil && fi.IsDir()
}

// RefuseValidationOnly returns a *SetupError saying what to add when job is validation-only,
// and nil otherwise: such a job can be validated, not run.
func RefuseValidationOnly(job *spec.Job) error {
	if !job.ValidationOnly() {
		return nil
	}
	what := "no entities"
	if job.Target.Kind == "" {
		what = "no target and no entities"
	}
	return &SetupError{fmt.Errorf("job %s has %s, so it can only be validated (bulkload validate %s); to send its rows, "+
		"add a target: (kind, url and, for On Key, tenant and connection) and entities: that map each source's rows to records", job.Name, what, job.File)}
}
