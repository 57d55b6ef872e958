package rundir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bulkload/bulkload/runstore"
)

// Pruned is what Prune did, or would do with dryRun.
type Pruned struct {
	// Deleted are the run directories deleted (to be deleted), oldest first.
	Deleted []Entry
	// Spared are the older dry runs beyond the newest kept that were not deleted, and why.
	Spared []Spared
	// Freed is the size of the directories deleted, in bytes.
	Freed int64
}

// Spared is a dry run Prune would have deleted but did not.
type Spared struct {
	Run Entry
	Why string
}

// Prune deletes the dry runs in base beyond the newest keep of each job (the runs of job, or
// of every job with job ""; see List), with dryRun only saying which. It deletes only what is
// a bulkload run directory whose run store says it is a dry run (which sent nothing; one stopped
// before its end too), never a run that sends (finished or not) and never a directory whose lock
// a process holds: each is locked while it is deleted, so that no run can start in it meanwhile.
// A latest link left pointing at a deleted directory is removed.
func Prune(ctx context.Context, base, job string, keep int, dryRun bool) (Pruned, error) {
	var p Pruned
	if keep < 0 {
		return p, fmt.Errorf("--keep %d: keep 0 or more dry runs", keep)
	}
	runs, err := List(ctx, base, job)
	if err != nil {
		return p, err
	}
	byJob := map[string][]Entry{}
	var jobs []string
	for _, r := range runs {
		if r.Mode != "dry-run" {
			continue
		}
		if byJob[r.Job] == nil {
			jobs = append(jobs, r.Job)
		}
		byJob[r.Job] = append(byJob[r.Job], r)
	}
	deleted := map[string]bool{}
	var errs []error
	for _, j := range jobs {
		dry := byJob[j]
		for _, r := range dry[:max(0, len(dry)-keep)] {
			why, err := pruneOne(ctx, r, dryRun)
			switch {
			case err != nil:
				errs = append(errs, err)
			case why != "":
				p.Spared = append(p.Spared, Spared{Run: r, Why: why})
			default:
				p.Deleted = append(p.Deleted, r)
				p.Freed += r.SizeBytes
				deleted[r.Name] = true
			}
		}
	}
	if !dryRun {
		errs = append(errs, unlinkDeletedLatest(base, jobs, deleted))
	}
	return p, errors.Join(errs...)
}

// pruneOne deletes the dry run r under its lock (with dryRun, only checks it could), or says why
// it is spared. Its store is read again under the lock: what List read may have changed.
func pruneOne(ctx context.Context, r Entry, dryRun bool) (spared string, err error) {
	if r.State == StateRunning {
		return "in use: " + r.StateText(), nil
	}
	if r.State == StateUnreadable {
		return "its run store cannot be read: " + r.Problem, nil
	}
	held, holder, lock, err := probe(r.Dir)
	if err != nil {
		return "its lock cannot be tried: " + err.Error(), nil
	}
	if held {
		return "in use: " + Entry{State: StateRunning, Holder: &holder}.StateText(), nil
	}
	defer func() {
		if lock != nil {
			lock.Close()
		}
	}()
	facts, err := runstore.ReadFacts(ctx, filepath.Join(r.Dir, runstore.FileName))
	switch {
	case err != nil:
		return "its run store cannot be read: " + err.Error(), nil
	case facts.Mode != "dry-run":
		return fmt.Sprintf("it now holds a %s", facts.Mode), nil
	case dryRun:
		return "", nil
	}
	// Everything but the lock file goes while the lock is held; the lock file, which Windows
	// cannot delete while it is open, last.
	entries, err := os.ReadDir(r.Dir)
	if err != nil {
		return "", fmt.Errorf("prune %s: %w", r.Dir, err)
	}
	for _, e := range entries {
		if e.Name() == LockFile {
			continue
		}
		if err := os.RemoveAll(filepath.Join(r.Dir, e.Name())); err != nil {
			return "", fmt.Errorf("prune %s: %w", r.Dir, err)
		}
	}
	if lock != nil {
		lock.Close()
		lock = nil
	}
	if err := os.Remove(filepath.Join(r.Dir, LockFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("prune %s: %w", r.Dir, err)
	}
	if err := os.Remove(r.Dir); err != nil {
		return "", fmt.Errorf("prune %s: %w", r.Dir, err)
	}
	return "", nil
}

// unlinkDeletedLatest removes the latest link of each of jobs in base that points at a directory
// deleted.
func unlinkDeletedLatest(base string, jobs []string, deleted map[string]bool) error {
	var errs []error
	for _, j := range jobs {
		link := LatestLink(base, j)
		name, err := readLatest(link)
		if err == nil && name != "" && deleted[name] {
			err = os.Remove(link)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
