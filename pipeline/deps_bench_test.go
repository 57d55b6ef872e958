package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// BenchmarkConverterLinks dry-runs depsJob over 1,000 SiteTypes and 50,000 Sites, with siteTypeId
// a Code converter (every Site linked to its SiteType) and a plain value (nothing to link): the
// difference is what finding the dependencies costs.
func BenchmarkConverterLinks(b *testing.B) {
	for _, c := range []struct{ name, expr string }{{"converter", `code(row.site_type)`}, {"plain", `row.site_type`}} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			files := depsFiles(c.expr)
			var types, sites strings.Builder
			types.WriteString("code,desc\n")
			for i := range 1000 {
				fmt.Fprintf(&types, "T%d,Type %d\n", i, i)
			}
			sites.WriteString("code,site_type\n")
			for i := range 50000 {
				fmt.Fprintf(&sites, "S%d,T%d\n", i, i%1000)
			}
			files["site_types.csv"], files["sites.csv"] = types.String(), sites.String()
			for name, content := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			job, err := spec.Load(filepath.Join(dir, "job.yaml"), nil)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				out, err := pipeline.DryRun(b.Context(), job, pipeline.Options{RunDir: filepath.Join(dir, fmt.Sprint("run", i))})
				if err != nil {
					b.Fatal(err)
				}
				if out.Summary.Count(record.Valid) != 51000 {
					b.Fatalf("%d valid, want 51000", out.Summary.Count(record.Valid))
				}
			}
		})
	}
}
