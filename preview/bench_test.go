package preview_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/preview"
	"github.com/bulkload/bulkload/spec"
)

// previewRowsEnv overrides the size of the file BenchmarkPreview previews (default 1,000,000
// rows): a preview reads five rows of it whatever its size.
const previewRowsEnv = "BULKLOAD_PREVIEW_ROWS"

var previewSpecs = map[string]*benchSpec{"csv": {}, "xlsx": {}}

// previewJob generates the order-lines job for format at the preview size, once per binary.
func previewJob(b *testing.B, format string) *spec.Job {
	b.Helper()
	rows := 1_000_000
	if s := os.Getenv(previewRowsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 6 {
			b.Fatalf("%s=%q: want a number of rows above 5", previewRowsEnv, s)
		}
		rows = n
	}
	benchRootOnce.Do(func() { benchRoot, benchRootErr = os.MkdirTemp("", "bulkload-bench-") })
	if benchRootErr != nil {
		b.Fatal(benchRootErr)
	}
	bs := previewSpecs[format]
	bs.once.Do(func() {
		bs.path, bs.err = benchdata.WriteOrderLines(benchRoot+"/preview-"+format, rows, format)
	})
	if bs.err != nil {
		b.Fatal(bs.err)
	}
	job, err := spec.Load(bs.path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return job
}

// BenchmarkPreview previews the first five rows of a generated 1,000,000-row file, as CSV and
// as XLSX: the time per operation is what `bulkload preview` costs on a file of any size.
//
//	go test -run '^$' -bench Preview -benchtime 20x ./preview/
func BenchmarkPreview(b *testing.B) {
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			job := previewJob(b, format)
			b.ResetTimer()
			for b.Loop() {
				pv, err := preview.Job(b.Context(), job, preview.Options{Limit: 5})
				if err != nil {
					b.Fatal(err)
				}
				if len(pv.Sources) == 0 || len(pv.Sources[0].Rows) != 5 || !pv.Sources[0].More {
					b.Fatalf("preview of %+v, want 5 rows and more", pv.Sources)
				}
			}
		})
	}
}
