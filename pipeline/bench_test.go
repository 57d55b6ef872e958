package pipeline_test

// Benchmarks of each stage and of the whole dry run over a generated order-lines job (see
// internal/benchdata), as CSV and as XLSX, next to the raw encoding/csv and excelize reads of the
// same files as baselines. The data is generated once per format and test binary, only when a
// benchmark runs:
//
//	go test -run '^$' -bench . -benchtime 1x -count 3 ./pipeline/
//	BULKLOAD_BENCH_ROWS=20000 go test -run '^$' -bench . -benchtime 1x ./pipeline/   # quick

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// benchRowsEnv overrides the number of generated rows (default 200,000).
const benchRowsEnv = "BULKLOAD_BENCH_ROWS"

var (
	benchRootOnce sync.Once
	benchRoot     string // removed by TestMain
	benchRootErr  error
	benchSpecs    = map[string]*benchSpec{"csv": {}, "xlsx": {}}
)

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

// benchRows is the size of the generated file.
func benchRows(b *testing.B) int {
	s := os.Getenv(benchRowsEnv)
	if s == "" {
		return 200000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number of rows", benchRowsEnv, s)
	}
	return n
}

// benchJob generates the job for format once per test binary and loads its spec.
func benchJob(b *testing.B, format string) (*spec.Job, int) {
	b.Helper()
	rows := benchRows(b)
	benchRootOnce.Do(func() { benchRoot, benchRootErr = os.MkdirTemp("", "bulkload-bench-") })
	if benchRootErr != nil {
		b.Fatal(benchRootErr)
	}
	bs := benchSpecs[format]
	bs.once.Do(func() {
		bs.path, bs.err = benchdata.WriteOrderLines(benchRoot+"/"+format, rows, format)
	})
	if bs.err != nil {
		b.Fatal(bs.err)
	}
	job, err := spec.Load(bs.path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return job, rows
}

// reportRows reports the throughput of rows rows per iteration and checks that every iteration
// saw them all.
func reportRows(b *testing.B, rows, seen int) {
	b.Helper()
	if seen != rows*b.N {
		b.Fatalf("%d rows over %d iterations, want %d each", seen, b.N, rows)
	}
	b.ReportMetric(float64(seen)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRawCSV is the baseline: encoding/csv reading every record of the file, nothing else.
func BenchmarkRawCSV(b *testing.B) {
	job, rows := benchJob(b, "csv")
	seen := 0
	for b.Loop() {
		f, err := os.Open(job.Sources[0].File)
		if err != nil {
			b.Fatal(err)
		}
		r := csv.NewReader(f)
		r.Comma = ';'
		r.ReuseRecord = true
		if _, err := r.Read(); err != nil { // the header
			b.Fatal(err)
		}
		for {
			_, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			seen++
		}
		f.Close()
	}
	reportRows(b, rows, seen)
}

// BenchmarkReadCSV: readers.Open and Next over every row (decoding, origins, row values).
func BenchmarkReadCSV(b *testing.B) {
	benchRead(b, "csv")
}

// BenchmarkRawXLSX is the baseline: excelize OpenFile and the Rows iterator with Columns over
// every row of the sheet, nothing else.
func BenchmarkRawXLSX(b *testing.B) {
	job, rows := benchJob(b, "xlsx")
	seen := 0
	for b.Loop() {
		f, err := excelize.OpenFile(job.Sources[0].File, excelize.Options{RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		it, err := f.Rows(benchdata.Sheet)
		if err != nil {
			b.Fatal(err)
		}
		for it.Next() {
			if _, err := it.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			seen++
		}
		if err := it.Close(); err != nil {
			b.Fatal(err)
		}
		f.Close()
		seen-- // the header
	}
	reportRows(b, rows, seen)
}

// BenchmarkReadXLSX: readers.Open and Next over every row of the sheet.
func BenchmarkReadXLSX(b *testing.B) {
	benchRead(b, "xlsx")
}

func benchRead(b *testing.B, format string) {
	job, rows := benchJob(b, format)
	seen := 0
	for b.Loop() {
		seen += readAll(b, &job.Sources[0], func(readers.Row) {})
	}
	reportRows(b, rows, seen)
}

// readAll opens src and hands every row to fn, returning the number of rows.
func readAll(b *testing.B, src *spec.Source, fn func(readers.Row)) int {
	b.Helper()
	ctx := context.Background()
	r, err := readers.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	n := 0
	for {
		row, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		fn(row)
		n++
	}
}

// BenchmarkTypeValidate: reading, typing by the schema and validating every row of the CSV, on
// one goroutine. Subtract BenchmarkReadCSV for the cost of typing and validating alone.
func BenchmarkTypeValidate(b *testing.B) {
	job, rows := benchJob(b, "csv")
	src := &job.Sources[0]
	schema, typer := compileSource(b, src)
	seen, invalid := 0, 0
	for b.Loop() {
		seen += readAll(b, src, func(row readers.Row) {
			typed, cellErrs := typer.Type(row)
			if len(schema.Validate(typed)) > 0 || len(cellErrs) > 0 {
				invalid++
			}
		})
	}
	if want := benchdata.Invalid(rows) * b.N; invalid < want/2 || invalid > want {
		b.Fatalf("%d invalid rows over %d iterations, want about %d", invalid, b.N, want)
	}
	reportRows(b, rows, seen)
}

// BenchmarkMap: the job's two mappings over rows typed beforehand (the first mapBatch rows,
// cycled), on one goroutine.
func BenchmarkMap(b *testing.B) {
	job, rows := benchJob(b, "csv")
	src := &job.Sources[0]
	_, typer := compileSource(b, src)
	compiled, err := transforms.Compile(job)
	if err != nil {
		b.Fatal(err)
	}
	mappings := compiled.ForSource(src.Name)
	if len(mappings) != 2 {
		b.Fatalf("%d mappings for %s, want 2", len(mappings), src.Name)
	}
	const mapBatch = 10000
	var typedRows []map[string]any
	r, err := readers.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	for len(typedRows) < min(mapBatch, rows) {
		row, err := r.Next(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		typed, _ := typer.Type(row)
		typedRows = append(typedRows, typed)
	}
	r.Close()

	seen, records := 0, 0
	for b.Loop() {
		for i := range rows {
			env := transforms.Env{Row: typedRows[i%len(typedRows)]}
			for _, m := range mappings {
				if _, ok, err := m.Map(env); ok && err == nil {
					records++
				}
			}
			seen++
		}
	}
	if records < seen {
		b.Fatalf("%d records from %d rows, want about two per row", records, seen)
	}
	reportRows(b, rows, seen)
}

func compileSource(b *testing.B, src *spec.Source) (*schemas.RowSchema, *transforms.Typer) {
	b.Helper()
	schema, err := schemas.LoadRow(src.Schema)
	if err != nil {
		b.Fatal(err)
	}
	typer, err := transforms.NewTyper(src, schema)
	if err != nil {
		b.Fatal(err)
	}
	return schema, typer
}

// BenchmarkDryRunCSV: the whole dry run of the CSV job (read, type, validate, map on GOMAXPROCS
// workers, the run store, every report, payloads and the fix file).
func BenchmarkDryRunCSV(b *testing.B) {
	benchDryRun(b, "csv")
}

// BenchmarkDryRunXLSX: the whole dry run of the XLSX job.
func BenchmarkDryRunXLSX(b *testing.B) {
	benchDryRun(b, "xlsx")
}

func benchDryRun(b *testing.B, format string) {
	job, rows := benchJob(b, format)
	seen := 0
	for b.Loop() {
		out, err := pipeline.DryRun(context.Background(), job, pipeline.Options{RunDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		seen += out.Summary.Sources[job.Sources[0].Name].Rows
	}
	reportRows(b, rows, seen)
}

// TestBenchDataDryRun keeps the benchmark job honest in ordinary test runs: a small generated
// file, with every kind of deliberate fault, goes through the dry run in both formats.
func TestBenchDataDryRun(t *testing.T) {
	const rows = 6000 // every kind of fault once
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			path, err := benchdata.WriteOrderLines(t.TempDir(), rows, format)
			if err != nil {
				t.Fatal(err)
			}
			job, err := spec.Load(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			out, err := pipeline.DryRun(t.Context(), job, pipeline.Options{RunDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			s := out.Summary
			if got := s.Sources["order_lines"].Rows; got != rows {
				t.Errorf("%d rows read, want %d", got, rows)
			}
			// Six faulty rows. A cell error invalidates the records that read the cell: five
			// faults are in columns only the line reads (its line invalid, the order valid); the
			// malformed e-mail is read only by the order, which is invalid (and its rows
			// disagree), so all five of its lines are skipped.
			orders := rows / benchdata.LinesPerOrder
			want := map[string]int{"total": rows + orders, string(record.Valid): rows + orders - 11, string(record.Invalid): 6, string(record.Skipped): 5}
			for status, n := range want {
				if got := s.Count(record.Status(status)); got != n {
					t.Errorf("%d records %s, want %d", got, status, n)
				}
			}
			groups := map[string]bool{}
			for _, g := range s.Errors {
				groups[g.Property+"/"+g.Code] = true
			}
			for _, g := range []string{"Leveringsdato/type", "Antall/type", "Antall/exclusiveMinimum", "Kontakt_epost/format",
				"Produkt/required", "properties.type/mapping", "erpCustomerContactEmail/conflict", "parent/parent"} {
				if !groups[g] {
					t.Errorf("no %s errors; got %v", g, groups)
				}
			}
		})
	}
}
