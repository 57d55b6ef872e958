package report

import (
	"reflect"
	"strings"
	"testing"
)

func TestHTMLInChromium(t *testing.T) {
	path, _ := writePage(t, samplePage())
	dom := dumpDOM(t, path, "", 1200)

	if got, want := text(element(t, dom, `<p class="verdict"`, `</p>`)), "17 messages on 16 records need attention, of 1,440 records."; got != want {
		t.Errorf("verdict %q, want %q", got, want)
	}
	counts := tableRows(element(t, dom, `<section id="counts"`, `</section>`))
	wantCounts := [][]string{
		{"Source", "invalid", "failed", "unknown", "skipped", "succeeded", "total"},
		{"sites", "4", "2", "0", "0", "234", "240"},
		{"assets", "6", "0", "1", "3", "1,190", "1,200"},
		{"all", "10", "2", "1", "3", "1,424", "1,440"},
		{"Entity", "invalid", "failed", "unknown", "skipped", "succeeded", "total"},
		{"site", "4", "2", "0", "0", "234", "240"},
		{"asset", "6", "0", "1", "3", "1,190", "1,200"},
		{"all", "10", "2", "1", "3", "1,424", "1,440"},
		{"Entity and group", "invalid", "failed", "unknown", "skipped", "succeeded", "total"},
		{"site · group 1", "4", "2", "0", "0", "234", "240"},
		{"asset · group 2", "6", "0", "0", "3", "1,190", "1,199"},
		{"asset · group 3", "0", "0", "1", "0", "0", "1"},
		{"all", "10", "2", "1", "3", "1,424", "1,440"},
	}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("rendered counts:\n got %q\nwant %q", counts, wantCounts)
	}
	wantBars := [][2]string{{"qty · assets", "4"}, {"site · assets", "3"}, {"opened · sites", "2"},
		{"site_type · sites", "2"}, {"code · sites", "2"}, {"(whole row) · assets", "2"}, {"name · sites", "1"}, {"serial · assets", "1"}}
	if got := bars(t, dom); !reflect.DeepEqual(got, wantBars) {
		t.Errorf("rendered bars:\n got %q\nwant %q", got, wantBars)
	}
	top := text(element(t, dom, `<ol class="problems"`, `</ol>`))
	for _, want := range []string{
		"2 cells in column site_type of sites — refused by the server (Core_ReferenceLookupNoMatchFound): On Key found no SiteType with Code NOPE For example: Sites!C6 NOPE Sites!C9 DEPOTT",
		"3 cells in column site of assets — records skipped (parent): its parent site S-004 is invalid",
		"2 cells in column code of sites (1 record) — invalid (duplicate): userObjectId S-011 also made by Sites!A57",
		"For example: Sites!B80 (empty)",
		"1 message on whole rows of assets — invalid (ragged): 7 cells, the header has 6 For example: assets.csv:40 1 cell",
	} {
		if !strings.Contains(top, want) {
			t.Errorf("top problems lack %q:\n%s", want, top)
		}
	}

	rows := tableRows(element(t, dom, `<tbody id="rows"`, `</tbody>`))
	if len(rows) != 17 {
		t.Fatalf("the table shows %d lines, want 17", len(rows))
	}
	if want := []string{"Sites!D4", "opened", "31/02/2024", "invalid", "site S-004", "type", "not a date: 31/02/2024 (day out of range)"}; !reflect.DeepEqual(rows[0], want) {
		t.Errorf("first line %q, want %q", rows[0], want)
	}
	if got := rows[11][2]; got != "</script><script>alert(1)</script>" {
		t.Errorf("a value that is markup shows as %q, want it as text", got)
	}
	if strings.Contains(dom, "<script>alert(1)") {
		t.Error("a value became an element of the page")
	}
	if got := text(element(t, dom, `<p id="shown"`, `</p>`)); got != "Lines 1–17 of 17" {
		t.Errorf("table caption %q", got)
	}
}

func TestHTMLSearchInChromium(t *testing.T) {
	path, _ := writePage(t, samplePage())
	tests := []struct {
		hash  string
		cells []string
		shown string
	}{
		{"#q=qty+TEN", []string{"assets.csv:22:qty"}, "Lines 1–1 of 1 (filtered from 17)"},
		{"#q=S-009", []string{"Sites!C9", "assets.csv:60:site", "assets.csv:61:site"}, "Lines 1–3 of 3 (filtered from 17)"},
		{"#status=skipped", []string{"assets.csv:16:site", "assets.csv:60:site", "assets.csv:61:site"}, "Lines 1–3 of 3 (filtered from 17)"},
		{"#q=S-009&status=failed", []string{"Sites!C9"}, "Lines 1–1 of 1 (filtered from 17)"},
		{"#q=nowhere", nil, "No line matches."},
		{"#q=S-009&sort=-cell", []string{"assets.csv:61:site", "assets.csv:60:site", "Sites!C9"}, "Lines 1–3 of 3 (filtered from 17)"},
		// equal rules keep row order; the first five of the 17
		{"#sort=-rule", []string{"assets.csv:77", "Sites!D4", "Sites!D91", "assets.csv:14:qty", "assets.csv:22:qty"}, "Lines 1–17 of 17"},
		{"#sort=value&q=qty", []string{"assets.csv:52:qty", "assets.csv:15:qty", "assets.csv:14:qty", "assets.csv:22:qty"}, "Lines 1–4 of 4 (filtered from 17)"},
	}
	for _, tt := range tests {
		dom := dumpDOM(t, path, tt.hash, 1200)
		var cells []string
		for _, r := range tableRows(element(t, dom, `<tbody id="rows"`, `</tbody>`)) {
			cells = append(cells, r[0])
		}
		if strings.Contains(tt.hash, "sort=-rule") {
			cells = cells[:5]
			if !strings.Contains(dom, `data-col="6" tabindex="0" aria-sort="descending"`) {
				t.Errorf("%s: the Rule heading is not marked descending", tt.hash)
			}
		}
		if !reflect.DeepEqual(cells, tt.cells) {
			t.Errorf("%s: lines %q, want %q", tt.hash, cells, tt.cells)
		}
		if got := text(element(t, dom, `<p id="shown"`, `</p>`)); got != tt.shown {
			t.Errorf("%s: caption %q, want %q", tt.hash, got, tt.shown)
		}
	}
}

func TestHTMLFitsAPhone(t *testing.T) {
	path, _ := writePage(t, samplePage())
	dom := dumpDOM(t, path, "", 400)
	if px := timing(t, dom, "overflow"); px > 0 {
		t.Errorf("at 400 px the page is %.0f px wider than the window", px)
	}
}

// TestHTMLScreenshot writes the sample report's PNG to the path given with -screenshot (the
// README's picture: go test ./report -run TestHTMLScreenshot -screenshot ../docs/report-html.png).
func TestHTMLScreenshot(t *testing.T) {
	if *screenshot == "" {
		t.Skip("no -screenshot path given")
	}
	path, _ := writePage(t, samplePage())
	takeScreenshot(t, path, *screenshot, 1100, 2300)
}
