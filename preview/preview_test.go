package preview_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/pipeline"
	"github.com/bulkload/bulkload/preview"
)

// TestPreviewReadsOnlyTheHead: a file whose fault lies past the rows shown (bytes that are not
// UTF-8 on its last line, which validate refuses before reading a row) previews its first rows,
// says there are more, and never reaches the fault; the typed values, the record and its request
// are those of the dry run's builder.
func TestPreviewReadsOnlyTheHead(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("id,name\n")
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&csv, "%d,name %d\n", i, i)
	}
	csv.WriteString("1001,caf\xe9\n") // windows-1252, not UTF-8
	job, _ := loadFiles(t, map[string]string{
		"job.yaml": `version: 1
name: head
target: {kind: onixwork, url: "http://127.0.0.1:1"}
sources:
  - {name: people, file: people.csv, schema: people.schema.json}
entities:
  - name: person
    source: people
    endpoint: /v1/customers
    userObjectId: '"P" + string(row.id)'
    properties: {externalId: row.id, name: row.name}
`,
		"people.schema.json": peopleSchema,
		"people.csv":         csv.String(),
	}, nil, nil)
	if _, err := pipeline.DryRun(t.Context(), job, pipeline.Options{RunDir: t.TempDir() + "/run"}); err == nil || !strings.Contains(err.Error(), "windows-1252") {
		t.Fatalf("dry run: err = %v, want the file refused for its encoding (else this test proves nothing)", err)
	}
	pv, err := preview.Job(t.Context(), job, preview.Options{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(pv.Sources) != 1 || len(pv.Sources[0].Rows) != 2 || !pv.Sources[0].More {
		t.Fatalf("sources %+v, want one with 2 rows and more", pv.Sources)
	}
	row := pv.Sources[0].Rows[1]
	rec := row.Records[0]
	got := fmt.Sprintf("%s %v | %s %s %s | %s %s %s", row.At, row.Values, rec.Entity, rec.UserObjectID, rec.Status,
		rec.Request.Method, rec.Request.URL, rec.Request.Body)
	want := `people.csv:3 [{id 2} {name name 2}] | person P2 valid | POST http://127.0.0.1:1/v1/customers {"externalId":2,"name":"name 2"}`
	if got != want {
		t.Errorf("row:\n%s\nwant:\n%s", got, want)
	}
	if len(pv.Notes) == 0 || !strings.Contains(pv.Notes[0], "cross-row rules") {
		t.Errorf("notes %q do not say what a preview leaves unchecked", pv.Notes)
	}
	var unknown *preview.UnknownNameError
	if _, err := preview.Job(t.Context(), job, preview.Options{Entity: "persn"}); !errors.As(err, &unknown) || unknown.Known[0] != "person" {
		t.Errorf("unknown entity: err = %v, want an UnknownNameError listing person", err)
	}
}
