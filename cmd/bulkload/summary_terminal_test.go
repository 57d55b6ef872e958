package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bulkload/bulkload/report"
)

// On a terminal the summary is wrapped to its width; it ends with the path of report.html when
// the run wrote one (Summary.HTML), and says nothing of it when it wrote none.
func TestSummaryOnATerminal(t *testing.T) {
	dir := t.TempDir()
	sum := &report.Summary{Job: "orders", Mode: "run", RunDir: dir, DurationSeconds: 1.5,
		Records:  map[string]int{"total": 12, "succeeded": 10, "failed": 2},
		Sources:  map[string]*report.SourceSummary{"lines": {Rows: 12, UnusedColumns: []string{"note", "comment", "internal reference"}}},
		FixFiles: []string{"fix/lines.csv"}}
	for _, tc := range []struct {
		name     string
		html     bool
		width    int
		lastLine string
	}{
		{"without report.html", false, 50, "run directory: " + dir},
		{"with report.html", true, 50, "report: " + filepath.Join(dir, "report.html")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sum.HTML = ""
			if tc.html {
				sum.HTML = "report.html"
			}
			var out bytes.Buffer
			validateOptions{}.print(streams{out: &out, outWidth: func() int { return tc.width }}, sum)
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			for _, l := range lines {
				if n := utf8.RuneCountInString(l); n > tc.width && !strings.Contains(l, dir) {
					t.Errorf("a line of %d columns at width %d: %q", n, tc.width, l)
				}
			}
			if flat := strings.Join(strings.Fields(out.String()), " "); !strings.HasSuffix(flat, tc.lastLine) {
				t.Errorf("the summary does not end with %q:\n%s", tc.lastLine, out.String())
			}
			if !tc.html && strings.Contains(out.String(), "report.html") {
				t.Errorf("report.html named, though there is none:\n%s", out.String())
			}
			if !strings.Contains(out.String(), "\n      ") {
				t.Errorf("no line was wrapped at %d columns:\n%s", tc.width, out.String())
			}
		})
	}
}
