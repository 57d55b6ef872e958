package onkey

import (
	"testing"

	"github.com/bulkload/bulkload/record"
)

// TestReconciled: each verdict, from what the run recorded and what the exists check found.
func TestReconciled(t *testing.T) {
	check := ExistsCheck{CheckType: "Code", EntityType: "Site", UserObjectID: "S1", Properties: map[string]any{"Code": "CPT"}}
	found := func(id string) Lookup { return Lookup{Check: check, Found: true, ID: id} }
	gone := Lookup{Check: check}
	cases := []struct {
		name             string
		status           record.Status
		action, serverID string
		l                Lookup
		want, detail     string
	}{
		{"succeeded and there under its id", record.Succeeded, "", "10", found("10"), ReconcileAgrees, ""},
		{"succeeded, id not recorded", record.Succeeded, "", "", found("10"), ReconcileAgrees, ""},
		{"succeeded under another id", record.Succeeded, "", "10", found("11"), ReconcileMismatch,
			"the run recorded id 10, but On Key's Site with Code CPT has id 11"},
		{"succeeded but gone", record.Succeeded, "", "10", gone, ReconcileMismatch, "succeeded in the run, but On Key has no Site with Code CPT"},
		{"deleted and gone", record.Succeeded, "Delete", "", gone, ReconcileAgrees, ""},
		{"deleted but still there", record.Succeeded, "delete", "", found("10"), ReconcileMismatch,
			"deleted by the run, but On Key still has Site with Code CPT"},
		{"unknown, there", record.Unknown, "", "", found("10"), ReconcileExists, "On Key has Site with Code CPT"},
		{"unknown, gone", record.Unknown, "", "", gone, ReconcileAbsent, "On Key has no Site with Code CPT"},
		{"a check without an answer settles nothing", record.Succeeded, "", "10", Lookup{Check: check, Found: true, Problem: "HTTP 500"},
			ReconcileNotCheckable, "the exists check by Code CPT failed: HTTP 500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, d := Reconciled(c.status, c.action, c.serverID, c.l)
			if v != c.want || d != c.detail {
				t.Errorf("got %s %q, want %s %q", v, d, c.want, c.detail)
			}
		})
	}
}

// TestReconcile: the line of a record carries what the run recorded, the verdict, and the id On
// Key has when its check answered; a record the checks have no lookup of is not checkable.
func TestReconcile(t *testing.T) {
	check := ExistsCheck{CheckType: "Code", EntityType: "Site", UserObjectID: "S1", Properties: map[string]any{"Code": "CPT"}}
	site := record.Entry{UserObjectID: "S1", Entity: "site", Status: record.Succeeded, Action: "Create"}
	cases := []struct {
		name     string
		serverID string
		found    map[string]Lookup
		want     ReconcileLine
	}{
		{"there under its id", "10", map[string]Lookup{"S1": {Check: check, Found: true, ID: "10"}},
			ReconcileLine{UserObjectID: "S1", Entity: "site", Status: record.Succeeded, Verdict: ReconcileAgrees, ServerID: "10", TargetID: "10"}},
		{"under another id", "10", map[string]Lookup{"S1": {Check: check, Found: true, ID: "11"}},
			ReconcileLine{UserObjectID: "S1", Entity: "site", Status: record.Succeeded, Verdict: ReconcileMismatch,
				Detail: "the run recorded id 10, but On Key's Site with Code CPT has id 11", ServerID: "10", TargetID: "11"}},
		{"a check that failed gives no target id", "10", map[string]Lookup{"S1": {Check: check, ID: "11", Problem: "HTTP 500"}},
			ReconcileLine{UserObjectID: "S1", Entity: "site", Status: record.Succeeded, Verdict: ReconcileNotCheckable,
				Detail: "the exists check by Code CPT failed: HTTP 500", ServerID: "10"}},
		{"nothing to look it up by", "", map[string]Lookup{"S2": {Check: check, Found: true, ID: "10"}},
			ReconcileLine{UserObjectID: "S1", Entity: "site", Status: record.Succeeded, Verdict: ReconcileNotCheckable,
				Detail: "it has no id converter and no Code to look it up by"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Reconcile(site, c.serverID, c.found); got != c.want {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}
