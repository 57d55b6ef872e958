package report

import (
	"bufio"
	"encoding/json"
	"path/filepath"

	"github.com/bulkload/bulkload/targets/onkey"
)

// ReconcileFile is the file, in the run directory, with a line per record a reconcile checked
// (onkey.ReconcileLine).
const ReconcileFile = "reconcile.jsonl"

// Reconciled writes ReconcileFile into a run directory, whole or not at all (CreateAtomic), and
// counts the verdicts of its lines. It is not safe for concurrent use.
type Reconciled struct {
	Path     string         // the file's path
	Verdicts map[string]int // lines by verdict, so far
	f        *AtomicFile
	w        *bufio.Writer
	enc      *json.Encoder
}

// NewReconciled starts ReconcileFile in the run directory dir. The caller calls Commit to put
// the file in place, or Abort to leave the directory as it was (Abort after Commit does nothing).
func NewReconciled(dir string) (*Reconciled, error) {
	path := filepath.Join(dir, ReconcileFile)
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	return &Reconciled{Path: path, Verdicts: map[string]int{}, f: f, w: w, enc: json.NewEncoder(w)}, nil
}

// Write adds the line l and counts its verdict.
func (r *Reconciled) Write(l onkey.ReconcileLine) error {
	r.Verdicts[l.Verdict]++
	return r.enc.Encode(l)
}

// Commit writes what is buffered and puts the file in place.
func (r *Reconciled) Commit() error {
	if err := r.w.Flush(); err != nil {
		return err
	}
	return r.f.Commit()
}

// Abort discards the file (AtomicFile.Abort).
func (r *Reconciled) Abort() { r.f.Abort() }
