package runstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulkload/bulkload/runstore"
)

// Replace leaves the new store's content at path, and no log of the old one beside it.
func TestReplace(t *testing.T) {
	dir := t.TempDir()
	path, from := filepath.Join(dir, "run.db"), filepath.Join(dir, "new.db")
	for name, content := range map[string]string{path: "old", path + "-wal": "old log", path + "-shm": "old shm", from: "new"} {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := runstore.Replace(path, from); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "new" {
		t.Errorf("%s holds %q, %v; want the new store", path, b, err)
	}
	for _, gone := range []string{path + "-wal", path + "-shm", from} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", gone, err)
		}
	}
}
