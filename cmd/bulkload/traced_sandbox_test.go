package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestServerErrorOnItsCell: the onkey-sites-mistakes sample run against the sandbox, whose
// PermissionTree A99 on Sites!D7 On Key does not have. The server's message names the property
// Site->PermissionTree_Id; every report puts it on the cell the mapping reads it from (Sites!D7,
// column permission_tree, value A99), with the server's code and text: report.csv, errors.csv,
// summary.json's samples, the annotated workbook and report.html as Chromium renders it.
func TestServerErrorOnItsCell(t *testing.T) {
	const (
		code = "Core_ReferenceLookupNoMatchFound"
		text = "Reference lookup match could not be found for {Site->PermissionTree_Id}."
	)
	dir := t.TempDir()
	exit, stdout, stderr := runCLI(t, "run", "--sandbox", "--no-progress", "--out", dir, "../../samples/onkey-sites-mistakes/job.yaml")
	if exit != exitSomeFailed {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", exit, stdout, stderr)
	}
	if want := "report: " + filepath.Join(dir, "report.html"); !strings.Contains(stdout, want) {
		t.Errorf("the summary does not name report.html (%q):\n%s", want, stdout)
	}

	report := readCSV(t, filepath.Join(dir, "report.csv"))
	if got, want := lineOf(report, "SAP-S06")[8], `[`+code+`] Sites!D7 permission_tree "A99": `+text; got != want {
		t.Errorf("report.csv errors of SAP-S06 %q, want %q", got, want)
	}
	errs := readCSV(t, filepath.Join(dir, "errors.csv"))
	if got, want := errs[0], []string{"record", "entity", "status", "cell", "column", "value", "code", "message"}; !slices.Equal(got, want) {
		t.Errorf("errors.csv header %q, want %q", got, want)
	}
	if got, want := lineOf(errs, "SAP-S06"), []string{"SAP-S06", "site", "failed", "Sites!D7", "permission_tree", "A99", code, text}; !slices.Equal(got, want) {
		t.Errorf("errors.csv line of SAP-S06 %q, want %q", got, want)
	}

	type sample struct{ Record, Cell, Value, Message string }
	type group struct {
		Property, Code string
		Samples        []sample
	}
	var sum struct{ Errors []group }
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || json.Unmarshal(b, &sum) != nil {
		t.Fatalf("summary.json: %v\n%s", err, b)
	}
	i := slices.IndexFunc(sum.Errors, func(g group) bool { return g.Code == code })
	if i < 0 || sum.Errors[i].Property != "permission_tree" || len(sum.Errors[i].Samples) != 1 ||
		sum.Errors[i].Samples[0] != (sample{"SAP-S06", "Sites!D7", "A99", text}) {
		t.Errorf("summary.json errors %+v, want a permission_tree group with the sample SAP-S06 Sites!D7 A99", sum.Errors)
	}

	book := openWorkbook(t, filepath.Join(dir, "annotated", "sites.xlsx"))
	comments, err := book.GetComments("Sites")
	if err != nil {
		t.Fatal(err)
	}
	onCell := ""
	for _, c := range comments {
		if c.Cell == "D7" {
			for _, r := range c.Paragraph {
				onCell += r.Text
			}
			onCell += c.Text
		}
	}
	if !strings.Contains(onCell, "["+code+"] "+text) {
		t.Errorf("annotated Sites!D7 comment %q lacks the server's message", onCell)
	}

	rows := renderedRows(t, filepath.Join(dir, "report.html"))
	want := []string{"Sites!D7", "permission_tree", "A99", "failed", "site SAP-S06", code, text}
	if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("report.html as Chromium renders it has no line %q among %q", want, rows)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Errorf("%s does not start with a UTF-8 BOM", filepath.Base(path))
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// lineOf returns the first line of recs whose first cell is key.
func lineOf(recs [][]string, key string) []string {
	for _, r := range recs {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	return nil
}

var (
	tagPattern  = regexp.MustCompile(`<[^>]*>`)
	rowsPattern = regexp.MustCompile(`(?s)<tbody id="rows"[^>]*>(.*?)</tbody>`)
)

// renderedRows opens path in headless Chromium (skipping the test where it is absent), with
// every network request refused, and returns the cells of the table of problems its script
// filled in.
func renderedRows(t *testing.T, path string) [][]string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("report.html not rendered: no chromium on PATH (apt-get install chromium)")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-extensions", "--disable-background-networking", "--proxy-server=127.0.0.1:9",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir="+t.TempDir(), "--window-size=1200,1000",
		"--dump-dom", (&url.URL{Scheme: "file", Path: path}).String())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.Bytes())
	}
	m := rowsPattern.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the rendered report.html has no table of problems")
	}
	var rows [][]string
	for _, tr := range strings.Split(m[1], "</tr>") {
		var cells []string
		for _, td := range strings.Split(tr, "</td>") {
			if cell := strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(td, " "))); cell != "" || strings.Contains(td, "<td") {
				cells = append(cells, strings.Join(strings.Fields(cell), " "))
			}
		}
		if len(cells) > 0 {
			rows = append(rows, cells)
		}
	}
	return rows
}
