package report

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// The DOM Chromium dumps is its own serialisation: tags lower case, attributes quoted, every
// element closed. These helpers read text out of it without a parser.

var (
	tagRE  = regexp.MustCompile(`<[^>]*>`)
	rowRE  = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
)

// text is the text of an HTML fragment: tags dropped, entities decoded, spaces collapsed.
func text(fragment string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(fragment, ""))), " ")
}

// element returns the first element of the DOM that opens with start (e.g. `<section id="counts"`)
// and ends with the first end that follows (e.g. `</section>`), or fails the test.
func element(t *testing.T, dom, start, end string) string {
	t.Helper()
	i := strings.Index(dom, start)
	if i < 0 {
		t.Fatalf("the rendered page has no %s", start)
	}
	j := strings.Index(dom[i:], end)
	if j < 0 {
		t.Fatalf("the rendered page does not close %s", start)
	}
	return dom[i : i+j+len(end)]
}

// tableRows returns the text of each cell of each row in fragment.
func tableRows(fragment string) [][]string {
	var rows [][]string
	for _, r := range rowRE.FindAllStringSubmatch(fragment, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, text(c[1]))
		}
		rows = append(rows, cells)
	}
	return rows
}

// bars returns the label and count of each bar of the chart, as rendered.
func bars(t *testing.T, dom string) [][2]string {
	t.Helper()
	var out [][2]string
	re := regexp.MustCompile(`(?s)<li class="bar"><span class="label">(.*?)</span>.*?<span class="count">(.*?)</span></li>`)
	for _, m := range re.FindAllStringSubmatch(element(t, dom, `<ol class="bars"`, `</ol>`), -1) {
		out = append(out, [2]string{text(m[1]), text(m[2])})
	}
	return out
}
