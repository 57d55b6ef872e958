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
