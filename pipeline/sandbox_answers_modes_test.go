package pipeline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// oneBatchOfSites is one import request of Sites of the seeded type FAC, one per row.
const oneBatchOfSites = `version: 1
name: sites
target: {kind: onkey, url: "${SANDBOX_URL}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: BATCH, concurrency: CONCURRENCY, mode: MODE, ordered: true, async: ASYNC}
sources:
  - {name: rows, file: rows.csv, schema: row.schema.json}
entities:
  - name: site
    source: rows
    entityType: Site
    action: Create
    userObjectId: '"S" + row.id'
    properties: {code: '"S" + row.id', description: row.desc, permissionTreeId: code("A20"),
                 siteTypeId: code("FAC"), currencyId: code(row.currency)}
`

// The acceptance case as it stands: one batch of 50 with 2 bad records, each refused by the
// server for its own reason. PerRecord stores the 48 others and reports the 2 failed with the
// server's code and message under their userObjectIds; AllOrNone stores none and fails all 50.
func TestSandboxOneBatchWithTwoBadRecords(t *testing.T) {
	desc := func(i int) string {
		if i == 7 {
			return "" // On Key's description is required
		}
		return plainDesc(i)
	}
	bad := func(i int) bool { return i == 31 } // currency XXX: no such Currency
	for _, tc := range []struct {
		mode           string
		stored, failed int
		lines          []string
	}{
		{"PerRecord", 48, 2, []string{
			"S00007 failed: rows.csv:8:desc: {Site->Description} must not be empty.",
			`S00031 failed: rows.csv:32:currency "XXX": Reference lookup match could not be found`,
			"S00008 succeeded",
		}},
		{"AllOrNone", 0, 50, []string{"S00007 failed: rows.csv:8:desc: {Site->Description}", `S00031 failed: rows.csv:32:currency "XXX": `, "S00008 failed: 2 of 50 records failed; mode=AllOrNone rolled the whole request back"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			r := runJobOnSandbox(t, oneBatchOfSites, sandbox.DefaultConfig(), 50, 50, 2, tc.mode, desc, bad)
			if r.err != nil {
				t.Fatal(r.err)
			}
			imports := 0
			for _, q := range r.sb.Requests() {
				if len(q.UserObjectIDs) > 0 && !isPreflight(q) {
					imports++
				}
			}
			if imports != 1 {
				t.Errorf("%d import requests, want the one batch", imports)
			}
			if got := countCreated(r.sb, "Site"); got != tc.stored {
				t.Errorf("%d Sites stored, want %d", got, tc.stored)
			}
			if got := r.out.Summary.Count(record.Failed); got != tc.failed {
				t.Errorf("%d failed, want %d", got, tc.failed)
			}
			lines := reportLines(t, r.dir)
			for _, want := range tc.lines {
				if !hasPrefixLine(lines, want) {
					t.Errorf("report.jsonl has no line starting %q:\n%s", want, strings.Join(lines, "\n"))
				}
			}
			if codes := reportCodes(t, r.dir); codes["S00007"] != sandbox.CodeNotNull || codes["S00031"] != sandbox.CodeNoMatch {
				t.Errorf("codes %q and %q, want %s and %s", codes["S00007"], codes["S00031"], sandbox.CodeNotNull, sandbox.CodeNoMatch)
			}
		})
	}
}

// PerRecord: a batch of 50 with 2 bad records stores 48; the 2 fail with the server's code and
// message under their userObjectIds, and their children are skipped. AllOrNone: all 50 fail and
// nothing is stored.
func TestSandboxPerRecordAndAllOrNone(t *testing.T) {
	desc := func(i int) string {
		if i == 7 {
			return "" // an empty cell: absent, and On Key's description is required
		}
		return plainDesc(i)
	}
	bad := func(i int) bool { return i == 31 } // currency XXX: no such Currency
	t.Run("PerRecord", func(t *testing.T) {
		r := runSites(t, sandbox.DefaultConfig(), 50, 50, 2, "PerRecord", desc, bad)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if got := countCreated(r.sb, "SiteType"); got != 49 {
			t.Errorf("%d SiteTypes stored, want 49", got)
		}
		if got := countCreated(r.sb, "Site"); got != 48 {
			t.Errorf("%d Sites stored, want 48 (49 types, 1 bad currency)", got)
		}
		lines := reportLines(t, r.dir)
		for _, want := range []string{
			"T00007 failed: rows.csv:8:desc: {SiteType->Description} must not be empty.",
			"S00007 skipped: parent: parent \"T00007\" is failed",
			`S00031 failed: rows.csv:32:currency "XXX": Reference lookup match could not be found`,
			"W00031 skipped: parent: parent \"S00031\" is failed",
		} {
			if !hasPrefixLine(lines, want) {
				t.Errorf("report.jsonl has no line starting %q:\n%s", want, strings.Join(lines, "\n"))
			}
		}
		codes := reportCodes(t, r.dir)
		if codes["T00007"] != sandbox.CodeNotNull || codes["S00031"] != sandbox.CodeNoMatch {
			t.Errorf("codes %q and %q, want %s and %s", codes["T00007"], codes["S00031"], sandbox.CodeNotNull, sandbox.CodeNoMatch)
		}
	})
	t.Run("AllOrNone", func(t *testing.T) {
		r := runSites(t, sandbox.DefaultConfig(), 50, 50, 2, "AllOrNone", desc, nil)
		if r.err != nil {
			t.Fatal(r.err)
		}
		if got := countCreated(r.sb, "SiteType"); got != 0 {
			t.Errorf("%d SiteTypes stored, want none", got)
		}
		if got := r.out.Summary.Count(record.Failed); got != 50 {
			t.Errorf("%d records failed, want the 50 of the batch", got)
		}
		if got := r.out.Summary.Count(record.Skipped); got != 100 {
			t.Errorf("%d records skipped, want the 100 children", got)
		}
	})
}

func hasPrefixLine(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// reportCodes returns the code of the first error of each record of report.jsonl.
func reportCodes(t *testing.T, runDir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runDir, "report.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var l struct {
			UserObjectID string           `json:"userObjectId"`
			Errors       []record.Message `json:"errors"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if len(l.Errors) > 0 {
			codes[l.UserObjectID] = l.Errors[0].Code
		}
	}
	return codes
}
