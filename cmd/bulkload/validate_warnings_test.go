package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// validate prints what a reader warned of, such as an empty sheet, with the source's name.
func TestValidatePrintsReaderWarnings(t *testing.T) {
	dir := t.TempDir()
	book := excelize.NewFile()
	if err := book.SaveAs(filepath.Join(dir, "sites.xlsx")); err != nil {
		t.Fatal(err)
	}
	_ = book.Close()
	files := map[string]string{
		"job.yaml": `version: 1
name: sites
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: sites, file: sites.xlsx, schema: site.schema.json}
entities:
  - name: site
    source: sites
    entityType: Site
    action: Create
    userObjectId: row.code
    properties: {code: row.code}
`,
		"site.schema.json": `{"type": "object", "properties": {"code": {"type": "string"}}}`,
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI(t, "validate", "--out", filepath.Join(dir, "run"), filepath.Join(dir, "job.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	want := `  warning: sites: sites.xlsx: sheet "Sheet1" is empty: it has no header and no rows`
	if !strings.Contains(stdout, want+"\n") {
		t.Errorf("stdout does not hold %q:\n%s", want, stdout)
	}
}
