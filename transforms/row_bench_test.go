package transforms

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
)

// peerHeader and peerRow generate the peers' 14-column order-lines file, exactly as
// ../shared/peers/gen does, so that the per-row benchmarks measure the row compare.sh times.
var peerHeader = []string{"order_no", "customer_ext_id", "order_date", "delivery_date", "project", "line_no",
	"product_no", "product_name", "quantity", "unit_price", "serial_number", "batch_no", "warehouse", "notes"}

func peerRow(i int) []string {
	o := i / 5
	return []string{
		"SO-" + strconv.Itoa(100000+o), "CUST-" + strconv.Itoa(o%977), "2026-03-" + fmt.Sprintf("%02d", 1+o%28), "2026-04-" + fmt.Sprintf("%02d", 1+o%28),
		"Project " + strconv.Itoa(o%50), strconv.Itoa(i%5 + 1), "P-" + strconv.Itoa(i%3000), "Hydraulic pump model " + strconv.Itoa(i%3000),
		strconv.Itoa(1 + i%17), strconv.FormatFloat(float64(i%10000)/7.0, 'f', 2, 64), "SN" + strconv.Itoa(9000000+i), "B" + strconv.Itoa(i%400), "WH-" + strconv.Itoa(i%7),
		"free text note for line " + strconv.Itoa(i),
	}
}

// peerJob writes the peers' job (testdata/peers) with a generated lines.csv of n rows into a
// temporary folder and returns the loaded job, its row schema, its typer and its mappings.
func peerJob(tb testing.TB, n int) (*spec.Job, *schemas.RowSchema, *Typer, *Mapping) {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{"job.yaml", "line.schema.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "peers", name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, "lines.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(peerHeader)
	for i := range n {
		w.Write(peerRow(i))
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		tb.Fatal(err)
	}
	job, err := spec.Load(filepath.Join(dir, "job.yaml"), func(string) (string, bool) { return "t", true })
	if err != nil {
		tb.Fatal(err)
	}
	src := &job.Sources[0]
	schema, err := schemas.LoadRow(src.Schema)
	if err != nil {
		tb.Fatal(err)
	}
	typer, err := NewTyper(src, schema)
	if err != nil {
		tb.Fatal(err)
	}
	ms, err := Compile(job)
	if err != nil {
		tb.Fatal(err)
	}
	return job, schema, typer, ms.ForSource(src.Name)[0]
}

// peerRows reads every row of the job's source.
func peerRows(tb testing.TB, job *spec.Job) []readers.Row {
	tb.Helper()
	r, err := readers.Open(&job.Sources[0])
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var rows []readers.Row
	for {
		row, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			tb.Fatal(err)
		}
		rows = append(rows, row)
	}
}

// BenchmarkRow is the per-row CPU of a dry run after reading, on the peers' row: typing by the
// schema, validation, the mapping and encoding the record's body, on one goroutine over rows
// read beforehand. ns/op and allocs/op are per row.
func BenchmarkRow(b *testing.B) {
	job, schema, typer, m := peerJob(b, 5000)
	rows := peerRows(b, job)
	b.ReportAllocs()
	i, bytes := 0, 0
	for b.Loop() {
		typed, cellErrs := typer.Type(rows[i%len(rows)])
		i++
		if len(cellErrs) > 0 || len(schema.Validate(typed)) > 0 {
			b.Fatalf("row %d is invalid", i)
		}
		rec, ok, err := m.Map(Env{Row: typed})
		if !ok || err != nil {
			b.Fatalf("row %d: %v", i, err)
		}
		body, err := EncodeJSON(rec.Body)
		if err != nil {
			b.Fatal(err)
		}
		bytes += len(body)
	}
	b.SetBytes(int64(bytes / max(i, 1)))
}

// BenchmarkRowStages measures each stage of BenchmarkRow alone, on values its earlier stages
// produced beforehand.
func BenchmarkRowStages(b *testing.B) {
	job, schema, typer, m := peerJob(b, 5000)
	rows := peerRows(b, job)
	typed := make([]map[string]any, len(rows))
	bodies := make([]Object, len(rows))
	for i, row := range rows {
		typed[i], _ = typer.Type(row)
		rec, _, err := m.Map(Env{Row: typed[i]})
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = rec.Body
	}
	stages := []struct {
		name string
		fn   func(i int)
	}{
		{"type", func(i int) { typer.Type(rows[i]) }},
		{"validate", func(i int) {
			if v := schema.Validate(typed[i]); v != nil {
				b.Fatal(v)
			}
		}},
		{"map", func(i int) { m.Map(Env{Row: typed[i]}) }},
		{"encode", func(i int) {
			if _, err := EncodeJSON(bodies[i]); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, s := range stages {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.fn(i % len(rows))
				i++
			}
		})
	}
}
