package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// unsetSampleEnv clears the variables the samples' specs read, so that their defaults (the
// URLs in the golden files) are used whatever the caller's environment holds.
func unsetSampleEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"ONKEY_URL", "ONKEY_TENANT", "ONKEY_CONNECTION", "ONIX_URL"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// listing returns every path under dir, to show that a command wrote nothing there.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		paths = append(paths, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// TestPreviewGolden previews each sample (first five rows of every source), the entity and
// source filters, --json, --limit and a validation-only job, and compares stdout with
// testdata/preview/. Run with -update to rewrite the golden files after a deliberate change.
// The job's folder must be unchanged: a preview writes nothing.
func TestPreviewGolden(t *testing.T) {
	unsetSampleEnv(t)
	specs, err := filepath.Glob("../../samples/*/job.yaml")
	if err != nil || len(specs) < 2 {
		t.Fatalf("samples: %v (found %d)", err, len(specs))
	}
	type tc struct {
		golden string
		args   []string
	}
	var tests []tc
	for _, s := range specs {
		tests = append(tests, tc{filepath.Base(filepath.Dir(s)) + ".yaml", []string{s}})
	}
	tests = append(tests,
		tc{"onkey-sites-entity-site.json", []string{"--entity", "site", "--limit", "2", "--json", "../../samples/onkey-sites/job.yaml"}},
		tc{"onkey-sites-mistakes-source-sites.yaml", []string{"--source", "sites", "--limit", "3", "../../samples/onkey-sites-mistakes/job.yaml"}},
		tc{"webapi-migration-entity-order_line.yaml", []string{"--entity", "order_line", "--source", "erp_orderlines", "--limit", "2", "../../samples/webapi-migration/job.yaml"}},
		tc{"validation-only.yaml", []string{"testdata/validation-only/job.yaml"}},
	)
	got := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			dir := filepath.Dir(tt.args[len(tt.args)-1])
			before := listing(t, dir)
			code, stdout, stderr := runCLI(t, append([]string{"preview"}, tt.args...)...)
			if code != exitOK || stderr != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
			if after := listing(t, dir); !slices.Equal(before, after) {
				t.Errorf("the job's folder changed: %v -> %v", before, after)
			}
			if strings.HasSuffix(tt.golden, ".json") && !json.Valid([]byte(stdout)) {
				t.Errorf("--json output is not JSON:\n%s", stdout)
			}
			got[tt.golden] = stdout
		})
	}
	compareGoldenFiles(t, "testdata/preview", got)
}

// compareGoldenFiles compares each file of got with its namesake in dir, or rewrites it.
func compareGoldenFiles(t *testing.T, dir string, got map[string]string) {
	t.Helper()
	for name, content := range got {
		p := filepath.Join(dir, name)
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run with -update)", name, err)
			continue
		}
		if string(want) != content {
			t.Errorf("%s differs from the golden file; got:\n%s", name, content)
		}
	}
}

// TestPreviewErrors: filters that name nothing, or disagree, are usage errors (exit 2) that say
// what the job has, with a suggestion for a near miss; --json makes them JSON on stdout.
func TestPreviewErrors(t *testing.T) {
	unsetSampleEnv(t)
	const sites = "../../samples/onkey-sites/job.yaml"
	tests := []struct {
		name   string
		args   []string
		stderr string
		json   bool
	}{
		{"entity typo", []string{"--entity", "sitez", sites},
			"bulkload preview: no entity is named \"sitez\" (did you mean \"site\"?)\nusage: bulkload preview [flags] JOB.yaml", false},
		{"entity typo --json", []string{"--json", "--entity", "site_typ", sites},
			`bulkload preview: no entity is named "site_typ" (did you mean "site_type"?)`, true},
		{"entity far off", []string{"--entity", "building", sites},
			`bulkload preview: no entity is named "building"; the job's entities are site_type, site`, false},
		{"source typo", []string{"--source", "site", sites},
			`bulkload preview: no source is named "site" (did you mean "sites"?)`, false},
		{"entity of another source", []string{"--entity", "site", "--source", "site_types", sites},
			"bulkload preview: entity site maps rows of source sites, not site_types: give one of --entity and --source, or both that agree", false},
		{"entity of a validation-only job", []string{"--entity", "people", "testdata/validation-only/job.yaml"},
			`bulkload preview: no entity is named "people": the job has no entities`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"preview"}, tt.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr:\n%s\nwant it to contain:\n%s", stderr, tt.stderr)
			}
			if tt.json {
				var r errorReport
				if err := json.Unmarshal([]byte(stdout), &r); err != nil || r.Error.Kind != "usage" || len(r.Error.DidYouMean) != 1 {
					t.Errorf("stdout is not a usage error with one suggestion (%v):\n%s", err, stdout)
				}
			} else if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
		})
	}
}
