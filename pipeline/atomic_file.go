package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tmpPrefix starts the names of the files and folders bulkload writes before renaming them into
// place in a run directory.
const tmpPrefix = ".tmp-"

// atomicFile is a file that appears under its name whole or not at all: it is written under a
// temporary name in the same folder, and commit syncs it and renames it into place. Until then
// (and after abort, or a commit that failed) the file of that name, if any, is untouched.
type atomicFile struct {
	*os.File
	path string
	done bool
}

// createAtomic starts the file that commit puts at path.
func createAtomic(path string) (*atomicFile, error) {
	f, err := os.OpenFile(tmpPath(path), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// tmpPath is the temporary name of the file that will be at path. It keeps path's extension
// (excelize writes only names it knows).
func tmpPath(path string) string {
	return filepath.Join(filepath.Dir(path), tmpPrefix+filepath.Base(path))
}

// commit writes the file through to the disk, closes it and renames it into place.
func (f *atomicFile) commit() error {
	if f.done {
		return errors.New("atomic file " + f.path + ": committed twice")
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// abort closes and removes the temporary file, unless committed; it may follow commit.
func (f *atomicFile) abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// commitFile renames the temporary file tmpPath(path), written and closed, into place.
func commitFile(path string) error {
	if err := os.Rename(tmpPath(path), path); err != nil {
		os.Remove(tmpPath(path))
		return err
	}
	return nil
}

// replaceDir puts the folder tmp, written whole, at path in place of the folder there, if any.
// Between its two renames nothing is at path; never a folder partly written.
func replaceDir(tmp, path string) error {
	old := filepath.Join(filepath.Dir(path), tmpPrefix+filepath.Base(path)+"-old")
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(path, old); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// removeTemporaries deletes what an interrupted writer left in dir under temporary names.
func removeTemporaries(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}
