package rundir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/spec"
)

// Fingerprint is the SHA-256 (hex) of every file a job reads (the spec, its sources, schemas and
// lookup tables), by absolute path: what a run records before it sends, and a resume compares
// to refuse a run whose inputs changed since it started. It encodes as a JSON object.
type Fingerprint map[string]string

// TakeFingerprint hashes the job's files as they are now. A JSON source's folder contributes
// each of its files. A file that cannot be read is an error.
func TakeFingerprint(job *spec.Job) (Fingerprint, error) {
	fp := Fingerprint{}
	add := func(path string) error {
		info, err := os.Stat(path)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			fp[path], err = hashFile(path)
			return err
		}
		return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			fp[p], err = hashFile(p)
			return err
		})
	}
	paths := []string{job.File}
	for _, s := range job.Sources {
		paths = append(paths, s.File, s.Schema)
	}
	for _, l := range job.Lookups {
		paths = append(paths, l.File)
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if err := add(abs); err != nil {
			return nil, fmt.Errorf("fingerprint of the job's files: %w", err)
		}
	}
	return fp, nil
}

// hashFile is the SHA-256 of the file at path, in hex.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Changes lists how now differs from was, one sentence per file ("<path> changed", "<path> is
// new", "<path> is gone"): the files of was in path order, then the new ones in path order.
// None when they are equal.
func (was Fingerprint) Changes(now Fingerprint) []string {
	var out []string
	for _, p := range slices.Sorted(maps.Keys(was)) {
		switch h, ok := now[p]; {
		case !ok:
			out = append(out, p+" is gone")
		case h != was[p]:
			out = append(out, p+" changed")
		}
	}
	for _, p := range slices.Sorted(maps.Keys(now)) {
		if _, ok := was[p]; !ok {
			out = append(out, p+" is new")
		}
	}
	return out
}

// ChangedError refuses to resume a run whose files changed since it started: its records were
// evaluated from the old ones. Changes are Fingerprint.Changes.
type ChangedError struct{ Changes []string }

func (e *ChangedError) Error() string {
	return "the job's files changed since the run started (" + strings.Join(e.Changes, "; ") +
		"); resuming would mix two versions of the data: put the files back, resume with --force to evaluate every row again (what succeeded is not sent again), or start a new run"
}
