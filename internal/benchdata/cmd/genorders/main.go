// Command genorders writes a generated order-lines job for benchmarks and memory measurements:
//
//	go run ./internal/benchdata/cmd/genorders -rows 1000000 -format xlsx -out /tmp/orders
//
// It prints the path of the job.yaml it wrote, ready for `bulkload validate`.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bulkload/bulkload/internal/benchdata"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("genorders", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.Int("rows", 200000, "data rows to write ("+fmt.Sprint(benchdata.LinesPerOrder)+" per order)")
	format := fs.String("format", "csv", "data file format: csv or xlsx")
	out := fs.String("out", "", "directory to write (created if needed)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: genorders [-rows N] [-format csv|xlsx] -out DIR")
		return 2
	}
	path, err := benchdata.WriteOrderLines(*out, *rows, *format)
	if err != nil {
		fmt.Fprintln(stderr, "genorders:", err)
		return 1
	}
	fmt.Fprintln(stdout, path)
	return 0
}
