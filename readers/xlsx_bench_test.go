package readers_test

import (
	"context"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/spec"
)

// benchXLSXEnv names a workbook for BenchmarkXLSXFile, such as the peers' lines.xlsx (generate it
// with ../shared/peers/gen: go run . 200000 /tmp/lines). Without it the benchmark is skipped.
const benchXLSXEnv = "BULKLOAD_BENCH_XLSX"

// BenchmarkXLSXFile reads every row of the workbook that BULKLOAD_BENCH_XLSX names with
// readers.Open and Next: the reader alone, from the zip to the rows.
//
//	BULKLOAD_BENCH_XLSX=/tmp/lines/lines.xlsx go test -run '^$' -bench XLSXFile -benchtime 1x -count 3 ./readers/
func BenchmarkXLSXFile(b *testing.B) {
	file := os.Getenv(benchXLSXEnv)
	if file == "" {
		b.Skip(benchXLSXEnv + " names no workbook")
	}
	ctx := context.Background()
	rows := 0
	for b.Loop() {
		src, err := readers.Open(&spec.Source{File: file, Path: file})
		if err != nil {
			b.Fatal(err)
		}
		for {
			r, err := src.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			rows++
		}
		if err := src.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSXOpen opens the workbook BULKLOAD_BENCH_XLSX names and reads its first row: the
// time before the first row, which the checks of the whole sheet take (see xlsx_scan.go).
func BenchmarkXLSXOpen(b *testing.B) {
	file := os.Getenv(benchXLSXEnv)
	if file == "" {
		b.Skip(benchXLSXEnv + " names no workbook")
	}
	for b.Loop() {
		src, err := readers.Open(&spec.Source{File: file, Path: file})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := src.Next(context.Background()); err != nil {
			b.Fatal(err)
		}
		if err := src.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
