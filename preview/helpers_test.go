package preview_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bulkload/bulkload/spec"
)

// peopleSchema is the JSON Schema of the people.csv sources the tests write.
const peopleSchema = `{"type": "object", "required": ["id", "name"], "properties": {
  "id": {"type": "integer", "minimum": 1}, "name": {"type": "string", "minLength": 1},
  "born": {"type": "string", "format": "date"}}}`

// loadFiles writes files into a new directory and loads its job.yaml with env as the
// environment; edit, if not nil, changes the job after loading.
func loadFiles(t *testing.T, files, env map[string]string, edit func(*spec.Job)) (*spec.Job, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(job)
	}
	return job, filepath.Join(dir, "run")
}

var (
	benchRootOnce sync.Once
	benchRoot     string // removed by TestMain
	benchRootErr  error
)

// benchSpec is a generated benchmark job, made once per binary.
type benchSpec struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchRoot != "" {
		os.RemoveAll(benchRoot)
	}
	os.Exit(code)
}
