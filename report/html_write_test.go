package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// writePage writes p to report.html in a new directory and returns the file's path and text.
func writePage(t *testing.T, p Page) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteHTML(path, p); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

// external matches what would make a browser fetch something: a URL in src, href, srcset,
// action or a CSS url()/@import, and the elements that load by nature.
var external = regexp.MustCompile(`(?i)(\b(src|href|srcset|action|poster|data)\s*=\s*["']?\s*(https?:|//))|url\(|@import|<link\b|<iframe\b|<img\b|<script[^>]*\bsrc\b`)

func TestHTMLLoadsNothing(t *testing.T) {
	_, html := writePage(t, samplePage())
	if m := external.FindString(html); m != "" {
		t.Errorf("report.html would fetch something: %q", m)
	}
}

func TestHTMLEscapesUserData(t *testing.T) {
	p := samplePage()
	p.Job = `<b id="job">x</b>`
	p.Files[0].File = `"><img src=x onerror=alert(1)>.xlsx`
	p.Findings[0].Text = `<!-- <script>alert(2)</script>`
	p.Findings[1].Value = "\u2028</SCRIPT >"
	_, html := writePage(t, p)
	if n := strings.Count(strings.ToLower(html), "</script"); n != 2 {
		t.Errorf("</script occurs %d times, want 2 (the data and the script closing)", n)
	}
	const open = `<script type="application/json" id="data">`
	data := html[strings.Index(html, open)+len(open):]
	data = data[:strings.Index(data, "</script>")]
	if strings.ContainsAny(data, "<>\u2028") {
		t.Errorf("the data block holds <, > or U+2028 unescaped")
	}
	for _, raw := range []string{`<b id="job">`, `<img src=x`, "<!--"} {
		if strings.Contains(html, raw) {
			t.Errorf("report.html holds %q unescaped", raw)
		}
	}
	for _, esc := range []string{`&lt;b id=&#34;job&#34;&gt;x&lt;/b&gt;`, `&#34;&gt;&lt;img src=x onerror=alert(1)&gt;.xlsx`} {
		if !strings.Contains(html, esc) {
			t.Errorf("report.html lacks the escaped text %q", esc)
		}
	}
}

func TestHTMLWithoutFindings(t *testing.T) {
	p := samplePage()
	p.Findings = nil
	p.Counts = []Tally{{Source: "sites", Entity: "site", Status: "valid", Records: 240}}
	_, html := writePage(t, p)
	if !strings.Contains(html, "No problems: none of the 240 records is invalid, failed, skipped or unknown.") {
		t.Error("a report without findings does not say so")
	}
	for _, id := range []string{`id="chart"`, `id="top"`, `id="records"`, "<script"} {
		if strings.Contains(html, id) {
			t.Errorf("a report without findings has %s", id)
		}
	}
}

func TestWriteHTMLReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(path, samplePage()); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "report.html" {
		t.Errorf("directory holds %v, want report.html alone", entries)
	}
	err = WriteHTML(filepath.Join(dir, "missing", "report.html"), samplePage())
	if err == nil || !strings.HasPrefix(err.Error(), "report.html: ") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("writing into a missing directory: %v, want an error naming report.html and the directory", err)
	}
}
