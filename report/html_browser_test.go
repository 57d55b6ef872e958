package report

import (
	"bytes"
	"context"
	"flag"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

var screenshot = flag.String("screenshot", "", "write a PNG of the sample report.html to this path (e.g. ../docs/report-html.png)")

// chromium finds Debian's headless Chromium, or skips the test saying how to get it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("report.html browser test skipped: no chromium or chromium-browser on PATH (apt-get install chromium)")
	return ""
}

// browse runs headless Chromium on the file at path (with a location hash, if any) and the extra
// flags, with every network request sent to a closed port, and returns its standard output.
func browse(t *testing.T, path, hash string, width, height int, extra ...string) []byte {
	t.Helper()
	bin := chromium(t)
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
		"--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + t.TempDir(), "--hide-scrollbars",
		"--window-size=" + strconv.Itoa(width) + "," + strconv.Itoa(height),
	}
	args = append(args, extra...)
	args = append(args, (&url.URL{Scheme: "file", Path: path}).String()+hash)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.Bytes())
	}
	return out.Bytes()
}

// dumpDOM returns the DOM of the page after its scripts ran.
func dumpDOM(t *testing.T, path, hash string, width int) string {
	t.Helper()
	return string(browse(t, path, hash, width, 1000, "--dump-dom"))
}

// timing reads one of the timings the page's script wrote into #timings.
func timing(t *testing.T, dom, name string) float64 {
	t.Helper()
	m := regexp.MustCompile(`data-` + name + `="([0-9.]+)"`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the rendered page has no timing %s (did its script run?)", name)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// takeScreenshot writes a PNG of the page at path to png.
func takeScreenshot(t *testing.T, path, png string, width, height int) {
	t.Helper()
	abs, err := filepath.Abs(png)
	if err != nil {
		t.Fatal(err)
	}
	browse(t, path, "", width, height, "--screenshot="+abs)
	b, err := os.ReadFile(abs)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s is not a PNG", abs)
	}
}
