package rundir

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
)

// summaryFile is the name of the summary a run writes into its directory with its reports
// (summary.json). Read reads its job, mode, start, end, counts and why the run was aborted.
const summaryFile = "summary.json"

// summary is what Read takes from summaryFile.
type summary struct {
	Job      string         `json:"job"`
	Mode     string         `json:"mode"`
	Started  string         `json:"started"`
	Finished string         `json:"finished"`
	Records  map[string]int `json:"records"`
	Aborted  string         `json:"aborted"`
}

// What Entry.State says of a run.
const (
	StateRunning     = "running"     // a process holds the run directory's lock
	StateFinished    = "finished"    // it ended on its own and wrote its reports
	StateInterrupted = "interrupted" // it stopped (Ctrl-C, killed, aborted) before the end
	StateUnreadable  = "unreadable"  // its run store cannot be read: see Entry.Problem
)

// Entry is what a run directory says of its run, read without disturbing a process using it:
// the lock is only tried (Entry.Holder when held), the run store opened read-only and
// summary.json read.
type Entry struct {
	Dir  string `json:"dir"`
	Name string `json:"name"`
	Job  string `json:"job,omitempty"`
	// Mode is "dry-run" or "run"; "" when the store does not say.
	Mode    string    `json:"mode,omitempty"`
	State   string    `json:"state"`
	Started time.Time `json:"started,omitzero"`
	// Finished is when it last wrote its reports (summary.json); zero without them.
	Finished time.Time `json:"finished,omitzero"`
	// Records counts its records per status, from the store ("total": all of them).
	Records map[string]int `json:"records,omitempty"`
	// Sent says the run began sending: records of it may be at the target.
	Sent bool `json:"sent"`
	// Resumable: a run that sent and is not finished, or holds pending or unknown records;
	// `bulkload run --resume` finishes it.
	Resumable bool `json:"resumable"`
	// Resume marks the run --resume is for: the newest resumable one not running.
	Resume bool `json:"resume"`
	// Holder is who holds the lock of a running one.
	Holder *Holder `json:"holder,omitempty"`
	// Aborted is why the run stopped early, as its summary says.
	Aborted   string `json:"aborted,omitempty"`
	SizeBytes int64  `json:"sizeBytes"`
	Problem   string `json:"problem,omitempty"`
}

// StateText is State as a person reads it: "running (pid 4242)".
func (e Entry) StateText() string {
	if e.State == StateRunning && e.Holder != nil && e.Holder.PID != 0 {
		return fmt.Sprintf("running (pid %d)", e.Holder.PID)
	}
	return e.State
}

// List lists the run directories in base, oldest first: those of the job named job (named
// <job>-<time>, see New), or, with job "", every folder in base that is a run directory.
// A base that is itself a run directory lists that one. Links (the latest links) are not
// followed.
func List(ctx context.Context, base, job string) ([]Entry, error) {
	if job == "" && Is(base) {
		runs := []Entry{Read(ctx, base)}
		markResume(runs)
		return runs, nil
	}
	entries, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) && job != "" {
		return nil, nil // the job has not run yet
	}
	if err != nil {
		return nil, err
	}
	var runs []Entry
	for _, e := range entries {
		if !e.IsDir() || (job != "" && !IsNameOf(e.Name(), job)) {
			continue
		}
		dir := filepath.Join(base, e.Name())
		if !Is(dir) {
			continue
		}
		runs = append(runs, Read(ctx, dir))
	}
	// By start (to the second, as the store says it), then name: a job's names sort as they were
	// made, and so do their starts.
	slices.SortStableFunc(runs, func(a, b Entry) int {
		return cmp.Or(startOf(a).Compare(startOf(b)), strings.Compare(a.Name, b.Name))
	})
	markResume(runs)
	return runs, nil
}

// startOf is when r started: as its store or summary says, else as its name says, else when its
// directory was last changed.
func startOf(r Entry) time.Time {
	if !r.Started.IsZero() {
		return r.Started
	}
	if m := runDirName.FindStringSubmatch(r.Name); m != nil {
		for _, layout := range []string{Stamp, "20060102T150405Z"} {
			if t, err := time.Parse(layout, m[2]); err == nil {
				return t.Truncate(time.Second)
			}
		}
	}
	if fi, err := os.Stat(r.Dir); err == nil {
		return fi.ModTime().Truncate(time.Second)
	}
	return time.Time{}
}

// markResume marks the newest resumable run that no process holds.
func markResume(runs []Entry) {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].Resumable && runs[i].State != StateRunning {
			runs[i].Resume = true
			return
		}
	}
}

// Read reads what the run directory dir says of its run (see Entry).
func Read(ctx context.Context, dir string) Entry {
	e := Entry{Dir: dir, Name: filepath.Base(dir), SizeBytes: dirSize(dir)}
	held, holder, f, err := probe(dir)
	if f != nil {
		f.Close()
	}
	if err != nil {
		e.Problem = err.Error()
	}
	if held {
		e.State, e.Holder = StateRunning, &holder
	}
	var sum summary
	if b, err := os.ReadFile(filepath.Join(dir, summaryFile)); err == nil && json.Unmarshal(b, &sum) == nil {
		e.Finished, _ = time.Parse(time.RFC3339, sum.Finished)
		e.Aborted = sum.Aborted
	}
	facts, err := runstore.ReadFacts(ctx, filepath.Join(dir, runstore.FileName))
	if err != nil {
		if e.State == "" {
			e.State = StateUnreadable
		}
		e.Problem = err.Error()
		e.Job, e.Mode, e.Records = sum.Job, sum.Mode, sum.Records
		e.Started, _ = time.Parse(time.RFC3339, sum.Started)
		return e
	}
	e.Job, e.Mode, e.Records, e.Started = facts.Job, facts.Mode, facts.Records, facts.Started
	if facts.Mode == "dry-run" && facts.Records["total"] == 0 && sum.Records != nil {
		e.Records = sum.Records // a dry run keeps no records in its store: its summary counts them
	}
	e.Sent = facts.Phase == runstore.PhaseSending
	stopped := facts.Open || e.Finished.IsZero() || e.Aborted != "" || e.Records[string(record.Pending)] > 0
	if e.State == "" {
		e.State = StateFinished
		if stopped {
			e.State = StateInterrupted
		}
	}
	e.Resumable = e.Mode == "run" && e.Sent && (stopped || e.Records[string(record.Pending)]+e.Records[string(record.Unknown)] > 0)
	if facts.Damage != "" {
		// A resume refuses it (StoreDamagedError); bulkload reconcile still reads it.
		e.Resumable = false
		e.Problem = "its run store cannot be trusted (" + facts.Damage + "): a resume refuses it; bulkload reconcile still reads it"
	}
	return e
}

// dirSize is the size of the files under dir, in bytes; what cannot be read counts nothing.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
