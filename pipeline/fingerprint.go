package pipeline

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

	"github.com/bulkload/bulkload/spec"
)

// fingerprint is the SHA-256 of every file a job reads (the spec, its sources, schemas and
// lookup tables), by path as the user knows it: what --resume compares to refuse a run whose
// inputs changed since it started.
type fingerprint map[string]string

// takeFingerprint hashes the job's files. A JSON source's folder contributes each of its files.
func takeFingerprint(job *spec.Job) (fingerprint, error) {
	fp := fingerprint{}
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

// changes lists, sorted, how now differs from was: files changed, added or gone.
func (was fingerprint) changes(now fingerprint) []string {
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
