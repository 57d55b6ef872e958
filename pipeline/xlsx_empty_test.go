package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An empty sheet is an empty source: the dry run reads no rows, makes no records, and the
// summary (summary.json and what validate prints) warns that the sheet is empty.
func TestXLSXEmptySheetWarns(t *testing.T) {
	dir := t.TempDir()
	book := excelize.NewFile()
	if err := book.SaveAs(filepath.Join(dir, "sites.xlsx")); err != nil {
		t.Fatal(err)
	}
	_ = book.Close()
	out := dryRun(t, map[string]string{
		"job.yaml":         sitesXLSXJob(`code: row.code`),
		"site.schema.json": `{"type": "object", "properties": {"code": {"type": "string"}}}`,
		"sites.xlsx":       "", // written above
	}, dir)
	src := out.Summary.Sources["sites"]
	if src == nil || src.Rows != 0 || out.Summary.Records["total"] != 0 {
		t.Fatalf("summary %+v, source %+v: want no rows and no records", out.Summary.Records, src)
	}
	want := `[sites.xlsx: sheet "Sheet1" is empty: it has no header and no rows]`
	if got := fmt.Sprint(src.Warnings); got != want {
		t.Errorf("warnings %s, want %s", got, want)
	}
	data, err := os.ReadFile(filepath.Join(out.RunDir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"warnings": [`) || !strings.Contains(string(data), `is empty: it has no header and no rows`) {
		t.Errorf("summary.json has no warning of the empty sheet:\n%s", data)
	}
}

// sitesXLSXJob is a job reading sites.xlsx (schema site.schema.json) into On Key Site records
// keyed by code, with properties as the mapping's properties (the inside of its braces).
func sitesXLSXJob(properties string) string {
	return `version: 1
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
    properties: {` + properties + `}
`
}
