package maptest

import (
	"fmt"
	"slices"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// crossRowRules applies, to the entries of a mapping test's rows, the cross-row rules a dry run
// applies to all of a job's records (runstore.Resolve): rows of a distinct entity that share a
// userObjectId build one record, which is invalid when its rows disagree; other records that
// share a userObjectId are invalid; a record whose parent no row produced is invalid, and one
// whose parent or converter dependency is invalid or skipped is skipped, transitively. A parent
// whose child records are all invalid is not skipped: the test's rows are not all of its
// children. It returns the records in row order, each with its final status and messages.
func crossRowRules(entries []evaluate.Entry, job *spec.Job) ([]TestRecord, error) {
	opts := runstore.OptionsFor(job)
	opts.KeepChildless = true
	opts.Refs = onkey.ConverterRefs
	ix := runstore.NewIndex(opts)
	defer ix.Close()
	var out []TestRecord
	bySeq := map[int64]int{} // index in out
	for _, e := range entries {
		r := e.Record
		seq, joined, err := ix.Add(runstore.Item{UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind,
			EntityType: r.EntityType, GroupOrder: r.GroupOrder, Parent: r.Parent, Distinct: r.Distinct, Status: e.Status,
			Body: e.Body, Source: e.Source, Origin: e.Origin.String(), OriginLine: e.Origin.Line, OriginPath: e.Origin.Path})
		if err != nil {
			return nil, err
		}
		if !joined {
			bySeq[seq] = len(out)
			out = append(out, TestRecord{Entity: r.Entity, UserObjectID: r.UserObjectID, Status: e.Status, Body: e.Body,
				Messages: slices.Clone(e.Messages)})
		}
	}
	am, err := runstore.Resolve(ix, func(seq int64) (runstore.Detail, error) {
		i, ok := bySeq[seq]
		if !ok {
			return runstore.Detail{}, fmt.Errorf("mapping test: no record %d", seq)
		}
		return runstore.Detail{UserObjectID: out[i].UserObjectID, Body: out[i].Body, Messages: out[i].Messages}, nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range am.Changes {
		r := &out[bySeq[c.Seq]]
		r.Status, r.Messages = c.Status, append(r.Messages, c.Add...)
	}
	gone := map[int]bool{}
	for _, m := range am.Merged {
		gone[bySeq[m.Seq]] = true
	}
	kept := out[:0]
	for i, r := range out {
		if !gone[i] {
			kept = append(kept, r)
		}
	}
	return kept, nil
}
