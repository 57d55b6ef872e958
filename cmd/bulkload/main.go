// Command bulkload imports records from CSV, XLSX and JSON files into the On Key and Onix Work
// APIs, declared by a job spec. See the README, or run `bulkload help`.
package main

import "os"

func main() {
	ctx := watchInterrupts(os.Stderr)
	os.Exit(run(ctx, os.Args[1:], newStreams(os.Stdin, os.Stdout, os.Stderr)))
}
