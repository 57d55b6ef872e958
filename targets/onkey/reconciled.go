package onkey

import (
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// What reconciling a run finds of a record, by the exists check.
const (
	ReconcileAgrees       = "agrees"        // On Key holds what the run recorded
	ReconcileMismatch     = "mismatch"      // it does not: the detail says how
	ReconcileExists       = "exists"        // an unknown record On Key has
	ReconcileAbsent       = "absent"        // an unknown record On Key does not have
	ReconcileNotCheckable = "not_checkable" // nothing to look it up by, or the check failed
)

// ReconcileLine is what reconciling a run finds of one record: a line of the run directory's
// reconcile file.
type ReconcileLine struct {
	UserObjectID string        `json:"userObjectId"`
	Entity       string        `json:"entity"`
	Status       record.Status `json:"status"` // as the run recorded it: succeeded or unknown
	Verdict      string        `json:"verdict"`
	Detail       string        `json:"detail,omitempty"`
	ServerID     string        `json:"serverId,omitempty"` // as the run recorded it
	TargetID     string        `json:"targetId,omitempty"` // as On Key has it
}

// Reconcile is the line of record e (its status, succeeded or unknown, and action as the run
// recorded them, and serverID, the id the run recorded, "" when none) by what the exists checks
// found (LookUp's answer for a batch e was in): the verdict of Reconciled; a record found has
// none of had nothing to look it up by, and is NotCheckable.
func Reconcile(e record.Entry, serverID string, found map[string]Lookup) ReconcileLine {
	line := ReconcileLine{UserObjectID: e.UserObjectID, Entity: e.Entity, Status: e.Status, ServerID: serverID}
	l, checked := found[e.UserObjectID]
	if !checked {
		line.Verdict, line.Detail = ReconcileNotCheckable, "it has no id converter and no Code to look it up by"
		return line
	}
	if l.Problem == "" {
		line.TargetID = l.ID
	}
	line.Verdict, line.Detail = Reconciled(e.Status, e.Action, serverID, l)
	return line
}

// Reconciled compares what a run recorded of a record (its status, succeeded or unknown, its
// action, and the server id it recorded, "" when none) with what the exists check l found, and
// returns the verdict and the detail that explains it ("" when it agrees). A check with a
// Problem is NotCheckable: it settles nothing.
func Reconciled(status record.Status, action, serverID string, l Lookup) (verdict, detail string) {
	if l.Problem != "" {
		return ReconcileNotCheckable, fmt.Sprintf("the exists check by %s failed: %s", l.Check.Key(), l.Problem)
	}
	deleted := IsDelete(action)
	switch {
	case status == record.Unknown && l.Found:
		return ReconcileExists, fmt.Sprintf("On Key has %s with %s", l.Check.EntityType, l.Check.Key())
	case status == record.Unknown:
		return ReconcileAbsent, fmt.Sprintf("On Key has no %s with %s", l.Check.EntityType, l.Check.Key())
	case deleted && l.Found:
		return ReconcileMismatch, fmt.Sprintf("deleted by the run, but On Key still has %s with %s", l.Check.EntityType, l.Check.Key())
	case deleted:
		return ReconcileAgrees, ""
	case !l.Found:
		return ReconcileMismatch, fmt.Sprintf("succeeded in the run, but On Key has no %s with %s", l.Check.EntityType, l.Check.Key())
	case serverID != "" && l.ID != "" && serverID != l.ID:
		return ReconcileMismatch, fmt.Sprintf("the run recorded id %s, but On Key's %s with %s has id %s", serverID, l.Check.EntityType, l.Check.Key(), l.ID)
	}
	return ReconcileAgrees, ""
}
