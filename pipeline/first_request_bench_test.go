package pipeline_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulkload/bulkload/internal/benchdata"
	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/sandbox"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// BenchmarkFirstRequest: how long a run takes before its first request leaves, against the
// sandbox, over the dry run of the same job in the same iteration (x-dry-run): the run reads,
// checks and stores every record before sending any. The job is compare.sh's shape over the
// generated CSV: one On Key import record per row (firstRequestJob). The run is stopped
// (RunOptions.Stop) as that request leaves.
//
//	go test -run '^$' -bench FirstRequest -benchtime 1x -count 3 ./pipeline/
func BenchmarkFirstRequest(b *testing.B) {
	generated, _ := benchJob(b, "csv")
	sb, err := sandbox.Start(sandbox.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	dir := filepath.Dir(generated.File)
	if err := writeValidRows(filepath.Join(dir, benchdata.DataBase+".csv"), filepath.Join(dir, "first-request.csv")); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "first-request.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(firstRequestJob, "URL", sb.URL())), 0o644); err != nil {
		b.Fatal(err)
	}
	job, err := spec.Load(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	env := map[string]string{"ONKEY_TOKEN": "sandbox-token"}
	var dry, first time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := pipeline.DryRun(context.Background(), job, pipeline.Options{RunDir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
		dry += time.Since(start)

		stop := make(chan struct{})
		var once sync.Once
		var left time.Time
		spy := roundTripper(func(r *http.Request) (*http.Response, error) {
			if r.Header.Get("Content-Type") == onkey.ImportContentType {
				once.Do(func() { left = time.Now(); close(stop) })
			}
			return http.DefaultTransport.RoundTrip(r)
		})
		start = time.Now()
		_, err := pipeline.Run(context.Background(), job, pipeline.RunOptions{Options: pipeline.Options{RunDir: b.TempDir()},
			HTTP: &http.Client{Transport: spy}, Getenv: func(k string) string { return env[k] }, Stop: stop})
		if left.IsZero() {
			b.Fatalf("no order was sent: %v", err)
		}
		first += left.Sub(start)
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "s-to-first-request")
	b.ReportMetric(float64(first)/float64(dry), "x-dry-run")
}

// firstRequestJob maps each row of the generated order lines to one On Key import record keyed
// by order and line, as compare.sh's job does the peers' file.
const firstRequestJob = `version: 1
name: first-request
target:
  kind: onkey
  url: URL
  tenant: demo
  connection: main
  auth: {kind: bearer, token_env: ONKEY_TOKEN}
submit: {batch_size: 100, concurrency: 8, mode: PerRecord, ordered: true}
sources:
  - name: order_lines
    file: first-request.csv
    delimiter: ";"
    schema: ` + benchdata.SchemaFile + `
    typing: {decimal: ",", thousands: " ", date_layouts: ["02.01.2006"]}
entities:
  - name: line
    source: order_lines
    entityType: OrderLine
    action: Merge
    userObjectId: '"ORD-" + row.Ordrenr + "/" + string(row.Linjenr)'
    id: 'code("ORD-" + row.Ordrenr + "/" + string(row.Linjenr))'
    groupOrder: 1
    properties:
      order_no: row.Ordrenr
      order_date: row.Ordredato
      customer: row.Kundenr
      contact: row.Kontakt_epost
      line_no: row.Linjenr
      product: row.Produkt
      description: row.Beskrivelse
      quantity: row.Antall
      unit_price: row.Enhetspris
      delivery_date: row.Leveringsdato
`

// writeValidRows copies the generated CSV at from to to without its deliberately invalid rows
// (benchdata.InvalidEvery): like the peers' file, every row is valid, so that neither job
// writes fix files.
func writeValidRows(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(data), "\n")
	var out strings.Builder
	out.WriteString(lines[0])
	for i, line := range lines[1:] {
		if i%benchdata.InvalidEvery != benchdata.InvalidEvery/2 {
			out.WriteString(line)
		}
	}
	return os.WriteFile(to, []byte(out.String()), 0o644)
}

// roundTripper is a function as an http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
