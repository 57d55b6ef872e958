package evaluate

import (
	"strconv"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
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

// validationRecord is the one record a row of a validation-only job makes.
func (s *Source) validationRecord(row readers.Row, msgs []record.Message) []Entry {
	uoid := s.spec.Name + ":" + strconv.Itoa(row.Origin.Line)
	if s.folder || row.Origin.Path != "" {
		uoid = s.spec.Name + ":" + row.Origin.File + ":" + strconv.Itoa(row.Origin.Line) + row.Origin.Path
	}
	e := Entry{Record: transforms.Record{UserObjectID: uoid, Entity: s.spec.Name}, Status: record.Valid,
		Source: s.spec.Name, Origin: row.Origin}
	if len(msgs) > 0 {
		e.Status, e.Messages = record.Invalid, msgs
	}
	return []Entry{e}
}
