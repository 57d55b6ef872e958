package pipeline_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// A dry run keeps no record in its run store (the store holds the run's facts only) and leaves
// no spill behind: on the benchmark's job, its directory is at most 1.2 times its payloads and
// reports together.
func TestDryRunDirectoryHoldsNoSecondCopy(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			rows := 3000
			path, err := benchdata.WriteOrderLines(t.TempDir(), rows, format)
			if err != nil {
				t.Fatal(err)
			}
			job, err := spec.Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			out, err := pipeline.DryRun(t.Context(), job, pipeline.Options{RunDir: filepath.Join(t.TempDir(), "run")})
			if err != nil {
				t.Fatal(err)
			}
			records := out.Summary.Count("total")
			if records < rows {
				t.Fatalf("%d records reported, want at least one per row (%d)", records, rows)
			}
			store, err := runstore.Open(t.Context(), filepath.Join(out.RunDir, runstore.FileName))
			if err != nil {
				t.Fatal(err)
			}
			stored := 0
			err = store.Records(t.Context(), runstore.Selection{}, func(record.Entry) error { stored++; return nil })
			if cerr := store.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			if stored != 0 {
				t.Errorf("the run store holds %d records, want none", stored)
			}
			if e := rundir.Read(t.Context(), out.RunDir); e.Mode != "dry-run" || e.Records["total"] != records {
				t.Errorf("the run directory lists as %q with %v records, want a dry run of %d", e.Mode, e.Records, records)
			}
			var total, outputs int64
			err = filepath.WalkDir(out.RunDir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				fi, err := d.Info()
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(out.RunDir, p)
				if strings.HasPrefix(d.Name(), ".spill-") || strings.HasPrefix(d.Name(), ".tmp-") {
					t.Errorf("%s is left in the run directory", rel)
				}
				total += fi.Size()
				first := strings.Split(filepath.ToSlash(rel), "/")[0]
				switch first {
				case report.PayloadsDir, report.FixDir, report.AnnotatedDir, report.ReportCSV, report.ReportJSONL,
					report.ErrorsCSV, report.SummaryJSON, report.ReportHTML:
					outputs += fi.Size()
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if outputs == 0 || float64(total) > 1.2*float64(outputs) {
				t.Errorf("the run directory holds %d bytes, payloads and reports %d: %.2fx, want at most 1.2x",
					total, outputs, float64(total)/float64(outputs))
			}
			if _, err := os.Stat(filepath.Join(out.RunDir, report.PayloadsDir, "index.jsonl")); err != nil {
				t.Errorf("no payloads: %v", err)
			}
		})
	}
}
