package rundir

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// The keys, in the run store's meta table, of what a run records of its inputs before it sends
// (SaveInputs), besides MetaSourceFiles.
const (
	MetaFingerprint = "fingerprint" // the job's files (Fingerprint, as JSON)
	MetaStats       = "stats"       // what was read from each source (JSON)
	MetaTarget      = "target"      // the target's URL
)

// Inputs are what a run records, before anything is sent, for a resume to check and to finish
// it with: the fingerprint of the files its records were evaluated from, what was read from each
// source (any value that encodes as JSON), and the URL of the target it sends to.
type Inputs struct {
	Fingerprint Fingerprint
	Stats       any
	Target      string
}

// SaveInputs records in into store's meta table (MetaFingerprint, MetaStats, MetaTarget).
func SaveInputs(ctx context.Context, store *runstore.Store, in Inputs) error {
	for key, v := range map[string]any{MetaFingerprint: in.Fingerprint, MetaStats: in.Stats} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := store.SetMeta(ctx, key, string(b)); err != nil {
			return err
		}
	}
	return store.SetMeta(ctx, MetaTarget, in.Target)
}

// ReadMetaJSON decodes into v the JSON that SaveInputs recorded under key (MetaFingerprint,
// MetaStats); a value that does not decode is an error naming the key.
func ReadMetaJSON(ctx context.Context, store *runstore.Store, key string, v any) error {
	s, err := store.Meta(ctx, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("run store: meta %s: %w", key, err)
	}
	return nil
}

// Info is what a run directory says of the run it holds.
type Info struct {
	Spec   string // the path of the spec the run started with
	Target string // the target's URL the run sent to (the spec's, or the one given instead)
	// SourceFiles are the files that replaced sources' files (`--source`), to load the spec with.
	SourceFiles []spec.SourceFile
}

// ReadInfo reads the run in dir, whose store it opens to read only (OpenStore): a resume or a
// reconcile needs its spec, and must go to the same target. A directory that holds a dry run is
// an error: there is nothing to resume.
func ReadInfo(ctx context.Context, dir string) (Info, error) {
	store, err := OpenStore(ctx, dir, true)
	if err != nil {
		return Info{}, err
	}
	defer store.Close()
	var info Info
	mode, err := store.Meta(ctx, "mode")
	if err == nil && mode != "run" {
		err = fmt.Errorf("%s holds a %s, not a run: there is nothing to resume", dir, mode)
	}
	if err == nil {
		info.Spec, err = store.Meta(ctx, "spec")
	}
	if err == nil {
		info.Target, err = store.Meta(ctx, MetaTarget)
	}
	var files string
	if err == nil {
		files, err = store.Meta(ctx, MetaSourceFiles)
	}
	if err == nil {
		info.SourceFiles, err = DecodeSourceFiles(files)
	}
	return info, err
}

// ErrNotRunDir is the error of OpenStore for a folder without a run store.
var ErrNotRunDir = errors.New("not a run directory")

// OpenStore opens the run store of the existing run directory dir (runstore.Open), or, reading,
// to read it only (runstore.OpenReading: one that holds less than it recorded is opened too,
// never a damaged one, which is a *runstore.DamagedError either way). A folder without a run
// store is an error that Is ErrNotRunDir, before anything is opened.
func OpenStore(ctx context.Context, dir string, reading bool) (*runstore.Store, error) {
	path := filepath.Join(dir, runstore.FileName)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s is %w (no %s in it)", dir, ErrNotRunDir, runstore.FileName)
	}
	if reading {
		return runstore.OpenReading(ctx, path)
	}
	return runstore.Open(ctx, path)
}
