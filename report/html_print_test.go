package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestHTMLPrintsOnA4 prints the sample report to PDF in Chromium and checks every page is A4
// (595 × 842 points), as the print style asks.
func TestHTMLPrintsOnA4(t *testing.T) {
	path, _ := writePage(t, samplePage())
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	browse(t, path, "", 1200, 1000, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`).FindAllSubmatch(b, -1)
	if len(boxes) == 0 {
		t.Fatalf("the PDF has no page sizes")
	}
	for i, m := range boxes {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if w < 594 || w > 596 || h < 841 || h > 843 {
			t.Errorf("page %d is %.1f × %.1f points, want A4 595 × 842", i+1, w, h)
		}
	}
	t.Logf("the sample report prints on %d A4 pages", len(boxes))
}
