package pipeline

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
)

// crossRowRules applies, to the entries of a mapping test's rows, the rules a dry run applies
// to the whole run store (ResolveKeys, ResolveParents): rows of a distinct entity that share a
// userObjectId build one record, which is invalid when its rows disagree; other records that
// share a userObjectId are all invalid; a record whose parent no row produced is invalid, and one
// whose parent is invalid or skipped is skipped, transitively.
func crossRowRules(entries []Entry) []TestRecord {
	var out []TestRecord
	origins := map[int][]string{} // index in out -> the rows that built it
	byKey := map[string][]int{}   // entity + uoid -> indexes in out
	for _, e := range entries {
		key := e.Record.Entity + "\x00" + e.Record.UserObjectID
		if e.Record.UserObjectID != "" && e.Record.Distinct {
			if idx := byKey[key]; len(idx) > 0 {
				mergeDistinct(&out[idx[0]], e, origins[idx[0]])
				origins[idx[0]] = append(origins[idx[0]], e.Origin.String())
				continue
			}
		}
		out = append(out, TestRecord{Entity: e.Record.Entity, UserObjectID: e.Record.UserObjectID, Status: e.Status,
			Body: e.Body, Messages: e.Messages})
		origins[len(out)-1] = []string{e.Origin.String()}
		if e.Record.UserObjectID != "" {
			byKey[key] = append(byKey[key], len(out)-1)
		}
	}
	byUOID := map[string][]int{}
	for i, r := range out {
		if r.UserObjectID != "" {
			byUOID[r.UserObjectID] = append(byUOID[r.UserObjectID], i)
		}
	}
	for uoid, idx := range byUOID {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			var others []string
			for _, j := range idx {
				if j != i {
					others = append(others, origins[j]...)
				}
			}
			out[i].Status = Invalid
			out[i].Messages = append(out[i].Messages, Message{Code: "duplicate", Property: "userObjectId", Value: shorten(uoid),
				Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, strings.Join(others, ", "))})
		}
	}
	resolveTestParents(out, entries)
	return out
}

// mergeDistinct folds another row's record e into the distinct record r built by the rows
// before (named by seen): the record is invalid when either is, and when their bodies differ.
func mergeDistinct(r *TestRecord, e Entry, seen []string) {
	if e.Status != Valid {
		r.Status = Invalid
		r.Messages = append(r.Messages, e.Messages...)
		return
	}
	if len(r.Body) > 0 && !bytes.Equal(r.Body, e.Body) {
		// The messages a dry run gives (applyKeyRules).
		for _, d := range runstore.DiffJSON(string(r.Body), string(e.Body)) {
			r.Status = Invalid
			r.Messages = append(r.Messages, Message{Code: "conflict", Property: d.Path, Value: shorten(d.B),
				Text: fmt.Sprintf("rows disagree on %s: %s has %s, %s has %s", d.Path, seen[0], d.A, e.Origin.String(), d.B)})
		}
	}
}

// resolveTestParents applies the parent rules to out; entries gives each record's parent.
func resolveTestParents(out []TestRecord, entries []Entry) {
	parentOf := map[string]string{}      // entity + uoid -> parent uoid
	status := map[string]record.Status{} // uoid -> the status of a record with it
	for _, e := range entries {
		parentOf[e.Record.Entity+"\x00"+e.Record.UserObjectID] = e.Record.Parent
	}
	for _, r := range out {
		if r.UserObjectID != "" {
			status[r.UserObjectID] = r.Status
		}
	}
	for i := range out {
		p := parentOf[out[i].Entity+"\x00"+out[i].UserObjectID]
		if _, ok := status[p]; p != "" && !ok && out[i].Status == Valid {
			out[i].Status = Invalid
			out[i].Messages = append(out[i].Messages, Message{Code: "parent", Property: "parent", Value: shorten(p),
				Text: fmt.Sprintf("parent %q is not produced by any row", p)})
			status[out[i].UserObjectID] = Invalid
		}
	}
	for changed := true; changed; {
		changed = false
		for i := range out {
			p := parentOf[out[i].Entity+"\x00"+out[i].UserObjectID]
			if ps := status[p]; p != "" && out[i].Status == Valid && (ps == Invalid || ps == Skipped) {
				out[i].Status = Skipped
				out[i].Messages = append(out[i].Messages, Message{Code: "parent", Property: "parent", Value: shorten(p),
					Text: fmt.Sprintf("parent %q is %s", p, ps)})
				status[out[i].UserObjectID] = Skipped
				changed = true
			}
		}
	}
}
