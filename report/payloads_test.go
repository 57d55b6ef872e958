package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// payloads/ holds the valid records by group (On Key) or depth (Onix Work), then in their order,
// however the groups interleave in the stream; batches hold batch_size records of one group.
func TestPayloadsOrderByGroupThenSeq(t *testing.T) {
	onKey := &spec.Job{Target: spec.Target{Kind: spec.OnKey, URL: "http://h", Method: "POST"}, Submit: spec.Submit{BatchSize: 2},
		Entities: []spec.Entity{{Name: "site", GroupOrder: 2}, {Name: "type", GroupOrder: 1}}}
	onix := &spec.Job{Target: spec.Target{Kind: spec.OnixWork, URL: "http://h"},
		Entities: []spec.Entity{{Name: "line", Parent: &spec.ParentRef{Entity: "order"}}, {Name: "order"}}}
	e := func(uoid, entity string, group int, status record.Status) record.Entry {
		endpoint := ""
		if group == 0 {
			endpoint = "/v1/" + entity + "s"
		}
		return record.Entry{UserObjectID: uoid, Entity: entity, GroupOrder: group, Endpoint: endpoint, Status: status,
			Body: json.RawMessage(`{"u":"` + uoid + `"}`)}
	}
	tests := []struct {
		name    string
		job     *spec.Job
		entries []record.Entry
		want    []string // index lines: file, then the records
	}{
		{"On Key", onKey, []record.Entry{e("S1", "site", 2, record.Valid), e("T1", "type", 1, record.Valid),
			e("S2", "site", 2, record.Valid), e("T2", "type", 1, record.Invalid), e("S3", "site", 2, record.Valid),
			e("T3", "type", 1, record.Valid), e("T4", "type", 1, record.Valid)},
			[]string{"0001-group1.json T1 T3", "0002-group1.json T4", "0003-group2.json S1 S2", "0004-group2.json S3"}},
		{"Onix Work", onix, []record.Entry{e("L1", "line", 0, record.Valid), e("O1", "order", 0, record.Valid),
			e("L2", "line", 0, record.Valid), e("O2", "order", 0, record.Skipped), e("O3", "order", 0, record.Valid)},
			[]string{"01-orders.jsonl:1 O1", "01-orders.jsonl:2 O3", "02-lines.jsonl:1 L1", "02-lines.jsonl:2 L2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var sum PayloadSummary
			p, err := NewPayloads(dir, tt.job, &sum)
			if err != nil {
				t.Fatal(err)
			}
			if err := Feed(Slice(tt.entries), p); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, PayloadsDir, "index.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			records := 0
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				var line payloadIndexLine
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatal(err)
				}
				s := line.File
				if line.Line > 0 {
					s += ":" + strconv.Itoa(line.Line)
				}
				got = append(got, s+" "+strings.Join(line.UserObjectIDs, " "))
				records += len(line.UserObjectIDs)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("index\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if sum.Requests != len(tt.want) || sum.Records != records {
				t.Errorf("summary %+v, want %d requests of %d records", sum, len(tt.want), records)
			}
			names, _ := os.ReadDir(filepath.Join(dir, PayloadsDir))
			for _, n := range names {
				if strings.HasPrefix(n.Name(), ".") {
					t.Errorf("payloads/ keeps %s", n.Name())
				}
			}
			if _, err := os.Stat(filepath.Join(dir, TmpPrefix+PayloadsDir)); !os.IsNotExist(err) {
				t.Errorf("the temporary folder is left: %v", err)
			}
		})
	}
}
