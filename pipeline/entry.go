package pipeline

import (
	"context"
	"fmt"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// Entry is a record on its way into the store: what a mapping made of one row, and its status.
type Entry struct {
	Record transforms.Record
	// Body is Record.Body encoded as JSON, when the caller has encoded it already (workers do, so
	// that the one goroutine that writes the store does not).
	Body []byte
	// Env is set for a record whose mapping reads its parent's result (parent.id): the row it
	// was mapped from, kept so that it can be mapped again once the parent is sent.
	Env      *transforms.Env
	Status   record.Status
	Source   string
	Origin   readers.Origin
	Messages []Message
}

// encode sets e.Body from e.Record.Body.
func (e *Entry) encode() error {
	body, err := transforms.EncodeJSON(e.Record.Body)
	if err != nil {
		return fmt.Errorf("record %q: %w", e.Record.UserObjectID, err)
	}
	e.Body = body
	return nil
}

// stored is e as the run store takes it: its body encoded (when the caller has not), and its
// environment too.
func (e Entry) stored() (record.Entry, error) {
	if e.Body == nil {
		if err := e.encode(); err != nil {
			return record.Entry{}, fmt.Errorf("run store: %w", err)
		}
	}
	r := e.Record
	out := record.Entry{UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind, EntityType: r.EntityType,
		Action: r.Action, Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Distinct: r.Distinct,
		Status: e.Status, Body: e.Body, Source: e.Source, Origin: e.Origin.String(), OriginLine: e.Origin.Line,
		OriginPath: e.Origin.Path, Messages: e.Messages}
	if e.Env != nil {
		env, err := transforms.EncodeJSON(map[string]any{"row": e.Env.Row, "outer": e.Env.Outer})
		if err != nil {
			return record.Entry{}, fmt.Errorf("run store: record %q: %w", r.UserObjectID, err)
		}
		out.Env = env
	}
	return out, nil
}

// addEntry stores e in store (Store.Add).
func addEntry(ctx context.Context, store *Store, e Entry) error {
	r, err := e.stored()
	if err != nil {
		return err
	}
	return store.Add(ctx, r)
}
