package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader as a spec: it must not panic, and it must return
// either a job or a non-empty Errors whose every entry names the spec file and says something.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"onkey-sites", "orders-csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "samples", name, "job.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		head + `entities: [{name: e, source: s, entityType: Site, action: Create, userObjectId: row.id}]`,
		"version: 1\nname: ${X:-a}\n",
		"a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n",
		"version: !!int x\nrate: .nan\n",
		"entities: [{properties: {a: [1, 2.5, true, null, ~, {b: c}]}}]\n",
		"- a\n---\n- b\n",
		"{[a]: 1, ? {b: c} : d}\n",
		"<<: {a: 1}\n",
		"\ufeffversion: 1\r\nname: x\r\n",
		"",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	for _, name := range []string{"s.csv", "s.schema.json"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	folder, err := newFolder(filepath.Join(dir, "job.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	env := func(k string) (string, bool) { return "v", k == "X" }
	f.Fuzz(func(t *testing.T, data []byte) {
		job, err := parse("job.yaml", data, folder, env, nil)
		if (job == nil) == (err == nil) {
			t.Fatalf("job %v and error %v: want exactly one", job != nil, err)
		}
		if err == nil {
			return
		}
		var errs Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
		}
		for _, e := range errs {
			if e.File != "job.yaml" || e.Msg == "" || e.Line < 0 || e.Col < 0 {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}
