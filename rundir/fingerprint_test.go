package rundir_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/spec"
)

// A fingerprint hashes the spec, each source (each file of a JSON source's folder), schema and
// lookup table; Changes names each file changed, new or gone, and nothing for the same files.
func TestFingerprintChanges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	job := &spec.Job{File: write("job.yaml", "name: sites\n"),
		Sources: []spec.Source{{Name: "sites", File: write("sites.csv", "code\nA1\n"), Schema: write("sites.schema.json", "{}")},
			{Name: "orders", File: filepath.Join(dir, "orders")}},
		Lookups: []spec.Lookup{{Name: "types", File: write("types.csv", "k,v\n")}}}
	write("orders/1.json", `{"no":1}`)
	write("orders/2.json", `{"no":2}`)
	was, err := rundir.TakeFingerprint(job)
	if err != nil {
		t.Fatal(err)
	}
	if len(was) != 6 {
		t.Errorf("fingerprint of %d files, want 6 (spec, source, schema, lookup, two JSON documents): %v", len(was), was)
	}
	same, err := rundir.TakeFingerprint(job)
	if err != nil {
		t.Fatal(err)
	}
	if c := was.Changes(same); c != nil {
		t.Errorf("the same files: %q, want no changes", c)
	}
	write("sites.csv", "code\nA2\n")
	write("orders/3.json", `{"no":3}`)
	if err := os.Remove(filepath.Join(dir, "orders", "1.json")); err != nil {
		t.Fatal(err)
	}
	now, err := rundir.TakeFingerprint(job)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "orders", "1.json") + " is gone", filepath.Join(dir, "sites.csv") + " changed",
		filepath.Join(dir, "orders", "3.json") + " is new"}
	if got := was.Changes(now); !slices.Equal(got, want) {
		t.Errorf("Changes = %q, want %q", got, want)
	}
	if err := os.Remove(job.Lookups[0].File); err != nil {
		t.Fatal(err)
	}
	if _, err := rundir.TakeFingerprint(job); err == nil {
		t.Error("a file of the job that cannot be read: no error")
	}
}

// What EncodeSourceFiles writes DecodeSourceFiles reads back; no replacement is "", and a damaged
// value is an error naming the key.
func TestSourceFilesRoundTrip(t *testing.T) {
	files := []spec.SourceFile{{Name: "sites", File: "/data/sites-2.csv", Path: "sites-2.csv"}}
	for _, tc := range []struct {
		name  string
		files []spec.SourceFile
	}{{"none", nil}, {"one", files}} {
		t.Run(tc.name, func(t *testing.T) {
			s := rundir.EncodeSourceFiles(&spec.Job{SourceFiles: tc.files})
			if tc.files == nil && s != "" {
				t.Errorf("no replacements encode as %q, want \"\"", s)
			}
			got, err := rundir.DecodeSourceFiles(s)
			if err != nil || !slices.Equal(got, tc.files) {
				t.Errorf("DecodeSourceFiles(%q) = %v, %v; want %v", s, got, err, tc.files)
			}
		})
	}
	if _, err := rundir.DecodeSourceFiles("[{"); err == nil || !strings.Contains(err.Error(), rundir.MetaSourceFiles) {
		t.Errorf("a damaged value: %v, want an error naming %s", err, rundir.MetaSourceFiles)
	}
}
