package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// What Reconcile says of a record.
const (
	Agrees       = "agrees"        // the target holds what the run store says
	Mismatch     = "mismatch"      // it does not: Detail says how
	Exists       = "exists"        // an unknown record the target has
	Absent       = "absent"        // an unknown record the target does not have
	NotCheckable = "not_checkable" // nothing to look it up by, or the check failed
)

// ReconcileFile is the file, in the run directory, with a line per record Reconcile checked.
const ReconcileFile = "reconcile.jsonl"

// ReconcileLine is one line of ReconcileFile.
type ReconcileLine struct {
	UserObjectID string        `json:"userObjectId"`
	Entity       string        `json:"entity"`
	Status       record.Status `json:"status"` // in the run store: succeeded or unknown
	Verdict      string        `json:"verdict"`
	Detail       string        `json:"detail,omitempty"`
	ServerID     string        `json:"serverId,omitempty"` // as the run recorded it
	TargetID     string        `json:"targetId,omitempty"` // as the target has it
}

// ReconcileSummary counts the verdicts of a Reconcile.
type ReconcileSummary struct {
	Verdicts map[string]int
	File     string // the path of ReconcileFile
}

// reconcileChunk is how many records Reconcile holds at a time.
const reconcileChunk = 1000

// Reconcile checks the succeeded and unknown records of the On Key run in dir against the target
// with exists checks (by the record's id converter or Code) and writes a line per record to
// ReconcileFile: a succeeded record the target lacks (or holds under another id; a Delete whose
// record is still there) is a mismatch; an unknown one exists or is absent. It changes nothing,
// in the store or the target. Onix Work documents no way to read orders or lines back, so its
// runs cannot be reconciled (*SetupError).
func Reconcile(ctx context.Context, job *spec.Job, dir string, opts RunOptions) (*ReconcileSummary, error) {
	opts = opts.withDefaults()
	if job.Target.Kind != spec.OnKey {
		return nil, &SetupError{errors.New("the Onix Work OpenAPI documents no endpoint that reads orders or lines back " +
			"(API-FACTS.md), so there is nothing to check a run against; bulkload run --resume sends the unknown records " +
			"that carry their id or import id again, which updates them if they exist")}
	}
	release, err := opts.holdExistingRunDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	store, err := openRunStoreReading(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	sender, err := newSender(job, opts)
	if err != nil {
		return nil, &SetupError{err}
	}
	ids, err := store.ServerIDs(ctx)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ReconcileFile)
	f, err := report.CreateAtomic(path) // whole or not at all, as the reports
	if err != nil {
		return nil, err
	}
	defer f.Abort()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	sum := &ReconcileSummary{Verdicts: map[string]int{}, File: path}
	var chunk []Sendable
	check := func() error {
		found, err := lookUp(ctx, job, sender, chunk)
		if err != nil {
			return err
		}
		for _, r := range chunk {
			l := verdict(r, ids[r.Seq], found)
			sum.Verdicts[l.Verdict]++
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		chunk = chunk[:0]
		return nil
	}
	err = store.Bodies(ctx, runstore.Selection{Statuses: []record.Status{record.Succeeded, record.Unknown}}, func(r Sendable) error {
		r.Body = bytes.Clone(r.Body)
		if chunk = append(chunk, r); len(chunk) == reconcileChunk {
			return check()
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		err = check()
	}
	if err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return sum, f.Commit()
}

// verdict compares what the run store says of r (its status, the server id it recorded) with
// what the target's exists check found.
func verdict(r Sendable, serverID string, found map[string]lookup) ReconcileLine {
	status := r.Status
	line := ReconcileLine{UserObjectID: r.UserObjectID, Entity: r.Entity, Status: status, ServerID: serverID}
	l, checked := found[r.UserObjectID]
	switch {
	case !checked:
		line.Verdict, line.Detail = NotCheckable, "it has no id converter and no Code to look it up by"
		return line
	case l.problem != "":
		line.Verdict, line.Detail = NotCheckable, fmt.Sprintf("the exists check by %s failed: %s", l.check.Key(), l.problem)
		return line
	}
	line.TargetID = l.id
	deleted := onkey.IsDelete(r.Action)
	switch {
	case status == Unknown && l.found:
		line.Verdict, line.Detail = Exists, fmt.Sprintf("On Key has %s with %s", l.check.EntityType, l.check.Key())
	case status == Unknown:
		line.Verdict, line.Detail = Absent, fmt.Sprintf("On Key has no %s with %s", l.check.EntityType, l.check.Key())
	case deleted && l.found:
		line.Verdict, line.Detail = Mismatch, fmt.Sprintf("deleted by the run, but On Key still has %s with %s", l.check.EntityType, l.check.Key())
	case deleted:
		line.Verdict = Agrees
	case !l.found:
		line.Verdict, line.Detail = Mismatch, fmt.Sprintf("succeeded in the run, but On Key has no %s with %s", l.check.EntityType, l.check.Key())
	case serverID != "" && l.id != "" && serverID != l.id:
		line.Verdict, line.Detail = Mismatch, fmt.Sprintf("the run recorded id %s, but On Key's %s with %s has id %s", serverID, l.check.EntityType, l.check.Key(), l.id)
	default:
		line.Verdict = Agrees
	}
	return line
}
