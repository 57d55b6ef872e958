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

// Stored is the entry as a record.Entry, for a store or a report that does not know about
// evaluation: Seq and Outcome are left zero, Rows holds the one row it came from, and Body must
// have been encoded (Encode).
func (e *Entry) Stored() record.Entry {
	out := e.entry()
	out.Rows = []string{out.Origin}
	return out
}

// Sinkable is the entry as the run store and its sink take it (runstore.Sink.Add): Body encoded
// (Encode, when it is not yet), Seq, Rows and Outcome left zero (the first row is the record's
// Origin), and, with withEnv, the typed row of a record to map again (Remap) encoded as its Env.
func (e *Entry) Sinkable(withEnv bool) (record.Entry, error) {
	if e.Body == nil {
		if err := e.Encode(); err != nil {
			return record.Entry{}, err
		}
	}
	out := e.entry()
	if withEnv && e.Remap != nil {
		env, err := e.Remap.Encode()
		if err != nil {
			return record.Entry{}, fmt.Errorf("record %q: %w", e.Record.UserObjectID, err)
		}
		out.Env = env
	}
	return out, nil
}

// entry is the entry as a record.Entry without its Rows.
func (e *Entry) entry() record.Entry {
	r := e.Record
	return record.Entry{UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind, EntityType: r.EntityType,
		Action: r.Action, Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Distinct: r.Distinct,
		Status: e.Status, Body: e.Body, Source: e.Source, Origin: e.Origin.String(), OriginLine: e.Origin.Line,
		OriginPath: e.Origin.Path, Messages: e.Messages}
}
