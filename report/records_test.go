package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// report.csv, report.jsonl and errors.csv from a slice of entries, in one pass, with the
// summary's counts beside them: a dry run's report.csv has no columns of the target's answer,
// a run's has them.
func TestRecordsFromASlice(t *testing.T) {
	entries := []record.Entry{
		{UserObjectID: "S1", Entity: "site", EntityType: "Site", Action: "Create", GroupOrder: 1, Status: record.Succeeded,
			Source: "sites", Origin: "sites.csv:2", OriginLine: 2, Rows: []string{"sites.csv:2"},
			Outcome: record.Outcome{ServerID: "7", Version: 3, HTTPStatus: 200, Attempts: 1, DurationMS: 12}},
		{UserObjectID: "S2", Entity: "site", EntityType: "Site", Action: "Create", GroupOrder: 1, Status: record.Invalid,
			Source: "sites", Origin: "sites.csv:3", OriginLine: 3, Rows: []string{"sites.csv:3", "sites.csv:4"},
			Messages: []record.Message{{Code: "conflict", Property: "code", Text: "rows disagree"}}},
	}
	tests := []struct {
		name     string
		sent     bool
		csv      string
		jsonLine string
	}{
		{"dry run", false, "userObjectId,status,entity,target,groupOrder,parent,origin,rows,errors\n" +
			"S1,succeeded,site,Site Create,1,,sites.csv:2,1,\n" +
			"S2,invalid,site,Site Create,1,,sites.csv:3,2,[conflict] code: rows disagree\n",
			`{"userObjectId":"S2","status":"invalid","entity":"site","entityType":"Site","action":"Create","groupOrder":1,"source":"sites","origin":"sites.csv:3","rows":["sites.csv:3","sites.csv:4"],"errors":[{"code":"conflict","property":"code","message":"rows disagree"}]}`},
		{"run", true, "userObjectId,status,entity,target,groupOrder,parent,origin,rows,errors,serverId,version,httpStatus,attempts,durationMs\n" +
			"S1,succeeded,site,Site Create,1,,sites.csv:2,1,,7,3,200,1,12\n" +
			"S2,invalid,site,Site Create,1,,sites.csv:3,2,[conflict] code: rows disagree,,,,0,\n",
			`{"userObjectId":"S2","status":"invalid","entity":"site","entityType":"Site","action":"Create","groupOrder":1,"source":"sites","origin":"sites.csv:3","rows":["sites.csv:3","sites.csv:4"],"errors":[{"code":"conflict","property":"code","message":"rows disagree"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewRecords(dir, tt.sent)
			if err != nil {
				t.Fatal(err)
			}
			sum := NewSummary(&spec.Job{Name: "sites"}, dir, time.Time{}, time.Time{}, map[string]*SourceSummary{"sites": {Rows: 3}})
			count := Func(func(e *record.Entry) error { sum.Add(e); return nil })
			if err := Feed(Slice(entries), count, w); err != nil {
				t.Fatal(err)
			}
			read := func(name string) string {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			if got := read(ReportCSV); got != utf8BOM+tt.csv {
				t.Errorf("report.csv\n%s\nwant\n%s", got, tt.csv)
			}
			lines := strings.Split(strings.TrimSpace(read(ReportJSONL)), "\n")
			if len(lines) != 2 || lines[1] != tt.jsonLine {
				t.Errorf("report.jsonl\n%s\nwant its second line\n%s", strings.Join(lines, "\n"), tt.jsonLine)
			}
			if got := read(ErrorsCSV); !strings.Contains(got, `S2,site,invalid,"sites.csv:3, sites.csv:4",code,,conflict,rows disagree`) {
				t.Errorf("errors.csv\n%s", got)
			}
			if sum.Count("total") != 2 || sum.Count(record.Invalid) != 1 || sum.Sources["sites"].Records["succeeded"] != 1 ||
				len(sum.Errors) != 1 || sum.Errors[0].Count != 1 {
				t.Errorf("summary %+v %+v", sum.Records, sum.Errors)
			}
		})
	}
}
