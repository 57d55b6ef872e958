package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/targets/onkey"
)

// Reconciled writes one JSON line per record and counts the verdicts; an aborted one leaves
// nothing in the directory.
func TestReconciled(t *testing.T) {
	dir := t.TempDir()
	r, err := NewReconciled(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []onkey.ReconcileLine{{UserObjectID: "a", Entity: "Site", Status: "succeeded", Verdict: onkey.ReconcileAgrees},
		{UserObjectID: "b", Entity: "Site", Status: "unknown", Verdict: onkey.ReconcileAbsent, Detail: "not found"}} {
		if err := r.Write(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	r.Abort() // after Commit: nothing
	b, err := os.ReadFile(filepath.Join(dir, ReconcileFile))
	want := `{"userObjectId":"a","entity":"Site","status":"succeeded","verdict":"` + onkey.ReconcileAgrees + `"}
{"userObjectId":"b","entity":"Site","status":"unknown","verdict":"` + onkey.ReconcileAbsent + `","detail":"not found"}
`
	if err != nil || string(b) != want || r.Path != filepath.Join(dir, ReconcileFile) ||
		r.Verdicts[onkey.ReconcileAgrees] != 1 || r.Verdicts[onkey.ReconcileAbsent] != 1 {
		t.Errorf("file %q (%v), verdicts %v; want %q", b, err, r.Verdicts, want)
	}

	other := t.TempDir()
	a, err := NewReconciled(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Write(onkey.ReconcileLine{UserObjectID: "c"}); err != nil {
		t.Fatal(err)
	}
	a.Abort()
	if entries, _ := os.ReadDir(other); len(entries) != 0 {
		t.Errorf("aborted: %d entries left", len(entries))
	}
}
