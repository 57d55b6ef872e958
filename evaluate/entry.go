package evaluate

import (
	"fmt"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// Entry is what a mapping made of one row: the record, its status and messages, and where it
// came from. It is a record on its way into the run store or a report.
type Entry struct {
	Record transforms.Record
	// Body is Record.Body encoded as JSON once Encode has run (Stream's workers run it, so that
	// the one goroutine that consumes the stream does not).
	Body     []byte
	Status   record.Status
	Source   string
	Origin   readers.Origin
	Messages []record.Message
	// Remap is set for a record whose mapping reads its parent's result (parent.id): the typed
	// row it was mapped from, for Remapper.Remap once the parent has its result.
	Remap *Row
}

// Encode sets e.Body from e.Record.Body.
func (e *Entry) Encode() error {
	body, err := transforms.EncodeJSON(e.Record.Body)
	if err != nil {
		return fmt.Errorf("record %q: %w", e.Record.UserObjectID, err)
	}
	e.Body = body
	return nil
}
