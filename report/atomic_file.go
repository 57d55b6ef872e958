package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TmpPrefix starts the names of the files and folders bulkload writes before renaming them into
// place in a run directory.
const TmpPrefix = ".tmp-"

// AtomicFile is a file that appears under its name whole or not at all: it is written under a
// temporary name in the same folder, and Commit syncs it and renames it into place. Until then
// (and after Abort, or a commit that failed) the file of that name, if any, is untouched.
type AtomicFile struct {
	*os.File
	path string
	done bool
}

// CreateAtomic starts the file that commit puts at path.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.OpenFile(TmpPath(path), os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	return &AtomicFile{File: f, path: path}, nil
}

// TmpPath is the temporary name of the file that will be at path. It keeps path's extension
// (excelize writes only names it knows).
func TmpPath(path string) string {
	return filepath.Join(filepath.Dir(path), TmpPrefix+filepath.Base(path))
}

// Commit writes the file through to the disk, closes it and renames it into place.
func (f *AtomicFile) Commit() error {
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

// Abort closes and removes the temporary file, unless committed; it may follow commit.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// CommitFile renames the temporary file TmpPath(path), written and closed, into place.
func CommitFile(path string) error {
	if err := os.Rename(TmpPath(path), path); err != nil {
		os.Remove(TmpPath(path))
		return err
	}
	return nil
}

// ReplaceDir puts the folder tmp, written whole, at path in place of the folder there, if any.
// Between its two renames nothing is at path; never a folder partly written.
func ReplaceDir(tmp, path string) error {
	old := filepath.Join(filepath.Dir(path), TmpPrefix+filepath.Base(path)+"-old")
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

// RemoveTemporaries deletes what an interrupted writer left in dir under temporary names.
func RemoveTemporaries(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TmpPrefix) {
			errs = append(errs, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}
