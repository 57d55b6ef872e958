package report

import (
	"os"
	"reflect"
	"testing"
	"time"
)

// TestHTMLHundredThousandRows opens a report of 100,000 invalid records in Chromium with a
// search in its location hash and reports the times the page measured itself: opening (parsing
// the data and showing the first page, the search included) and the search alone.
func TestHTMLHundredThousandRows(t *testing.T) {
	const n = 100_000
	if testing.Short() {
		t.Skip("100,000-row report.html skipped in -short mode")
	}
	chromium(t)
	p := bulkPage(n)
	start := time.Now()
	path, _ := writePage(t, p)
	written := time.Since(start)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	dom := dumpDOM(t, path, "", 1200)
	if got := timing(t, dom, "rows"); got != n {
		t.Fatalf("the page holds %.0f rows, want %d", got, n)
	}
	first := tableRows(element(t, dom, `<tbody id="rows"`, `</tbody>`))
	if len(first) != 100 || first[0][0] != "lines.csv:2:qty" || first[99][0] != "lines.csv:101:due" {
		t.Errorf("first page: %d lines from %q to %q, want 100 from lines.csv:2:qty to lines.csv:101:due", len(first), first[0][0], first[len(first)-1][0])
	}
	if got := text(element(t, dom, `<p id="shown"`, `</p>`)); got != "Lines 1–100 of 100,000" {
		t.Errorf("caption %q", got)
	}
	opened, parsed := timing(t, dom, "opened"), timing(t, dom, "parsed")

	dom = dumpDOM(t, path, "#q=bad-99999", 1200)
	if got := timing(t, dom, "matches"); got != 1 {
		t.Errorf("searching bad-99999 found %.0f lines, want 1", got)
	}
	rows := tableRows(element(t, dom, `<tbody id="rows"`, `</tbody>`))
	if want := [][]string{{"lines.csv:100001:due", "due", "bad-99999", "invalid", "line L-099999", "type", "cell due of line 100001 is not acceptable: bad-99999"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("search result %q, want %q", rows, want)
	}
	searched, search := timing(t, dom, "opened"), timing(t, dom, "search")

	dom = dumpDOM(t, path, "#sort=-value", 1200)
	rows = tableRows(element(t, dom, `<tbody id="rows"`, `</tbody>`))
	if len(rows) != 100 || rows[0][2] != "bad-99999" || rows[1][2] != "bad-99998" {
		t.Errorf("sorted by value descending, the first page starts %q, want bad-99999, bad-99998", rows[:2])
	}
	t.Logf("%d invalid rows: report.html %.1f MB written in %v; in Chromium opened in %.0f ms (data parsed at %.0f ms), "+
		"opened with a search in %.0f ms, the search alone %.0f ms; sorting all rows by value %.0f ms",
		n, float64(st.Size())/1e6, written.Round(time.Millisecond), opened, parsed, searched, search, timing(t, dom, "search"))
}
