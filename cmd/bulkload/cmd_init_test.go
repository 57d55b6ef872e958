package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/schemas"
)

// handWritten is a column whose hand-written type the data alone cannot give: the test asserts
// the type init guesses instead, and why.
type handWritten struct {
	guess string // the schemas.Type init writes
	why   string
}

// TestInitSamples runs bulkload init on each sample's data files (copied, so that the job is
// written beside them), then bulkload validate on what it wrote, which must run (exit 0 or 1,
// never 2), and compares every column's type with the sample's hand-written schema. The job and
// schemas written are golden files under testdata/init/<sample>/ (-update rewrites them).
func TestInitSamples(t *testing.T) {
	tests := []struct {
		sample, target string
		files          []string
		schemas        map[string]string // source name -> the sample's hand-written schema
		differ         map[string]handWritten
	}{
		{"onkey-sites", "onkey", []string{"sites.xlsx"},
			map[string]string{"sitetypes": "site-type.schema.json", "sites": "site.schema.json"},
			map[string]handWritten{
				"sites.sequence_number":  {schemas.TypeInteger, "every value (2, 3, 4, 5) is a whole number cell; the schema says On Key stores it as text"},
				"sites.time_zone_offset": {schemas.TypeInteger, "every value is the number 2; nothing shows fractions may come"},
			}},
		{"orders-csv", "onixwork", []string{"ordrelinjer.csv", "produkttyper.csv"},
			map[string]string{"ordrelinjer": "order-line-row.schema.json"},
			map[string]handWritten{
				"ordrelinjer.Antall": {schemas.TypeInteger, `8 of 9 values are whole numbers; the 9th, "12,5x", is none`},
			}},
		{"webapi-migration", "onixwork", []string{"erp-orders", "erp-fields.csv"},
			map[string]string{"erp_orders": "erp-order.schema.json"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			src := filepath.Join("..", "..", "samples", tt.sample)
			dir := t.TempDir()
			var files []string
			for _, f := range tt.files {
				copyTree(t, filepath.Join(src, f), filepath.Join(dir, f))
				files = append(files, filepath.Join(dir, f))
			}
			var stdout, stderr bytes.Buffer
			args := append([]string{"init", "--target", tt.target}, files...)
			if code := run(t.Context(), args, streams{out: &stdout, err: &stderr}); code != exitOK {
				t.Fatalf("init exit %d; stderr:\n%s", code, stderr.String())
			}
			validateRuns(t, filepath.Join(dir, "job.yaml"))
			compared := 0
			for source, hand := range tt.schemas {
				want := rowColumns(t, filepath.Join(src, "schemas", hand))
				got := rowColumns(t, filepath.Join(dir, "schemas", source+".schema.json"))
				if len(got) != len(want) {
					t.Errorf("%s: %d columns guessed, the hand-written schema has %d", source, len(got), len(want))
				}
				for name, w := range want {
					g, ok := got[name]
					d, differs := tt.differ[source+"."+name]
					switch {
					case !ok:
						t.Errorf("%s.%s: not guessed", source, name)
					case differs && g != d.guess:
						t.Errorf("%s.%s: guessed %s, want %s (%s)", source, name, g, d.guess, d.why)
					case !differs && g != w:
						t.Errorf("%s.%s: guessed %s, the hand-written schema says %s", source, name, g, w)
					}
					compared++
				}
			}
			if compared == 0 {
				t.Fatal("no column compared")
			}
			got := map[string]string{}
			for _, name := range append([]string{"job.yaml"}, schemaFiles(t, dir)...) {
				got[name] = readFile(t, dir, name)
			}
			compareGolden(t, filepath.Join("testdata", "init", tt.sample), got)
		})
	}
}

// rowColumns returns the columns of a row schema as type names, date and date-time included.
func rowColumns(t *testing.T, path string) map[string]string {
	t.Helper()
	rs, err := schemas.LoadRow(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range rs.Columns() {
		out[c.Name] = c.Type
	}
	return out
}

// validateRuns runs bulkload validate on the job and fails unless it exits 0 or 1.
func validateRuns(t *testing.T, job string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"validate", "--quiet", "--out", filepath.Join(t.TempDir(), "run"), job}, streams{out: &stdout, err: &stderr})
	if code != exitOK && code != exitSomeFailed {
		t.Fatalf("validate of the written job: exit %d; stderr:\n%s", code, stderr.String())
	}
}

func schemaFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "schemas", "*.json"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no schemas written in %s: %v", dir, err)
	}
	var out []string
	for _, f := range m {
		out = append(out, "schemas/"+filepath.Base(f))
	}
	return out
}

// copyTree copies a file, or a folder of files, from src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stripDir makes output that names dir comparable.
func stripDir(s, dir string) string { return strings.ReplaceAll(s, dir, "DIR") }
