package pipeline_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/sandbox"
)

// depsJob has SiteType records (group 1) from site_types.csv and Site records (group 2) from
// sites.csv whose siteTypeId is the converter SITETYPE, over row.site_type. No parent: links.
const depsJob = `version: 1
name: deps
target: {kind: onkey, url: "${SANDBOX_URL:-http://127.0.0.1:1}", tenant: demo, connection: main, auth: {kind: bearer, token_env: SANDBOX_TOKEN}}
submit: {batch_size: 10, concurrency: 2, mode: PerRecord, retries: 2}
sources:
  - {name: site_types, file: site_types.csv, schema: site_type.schema.json}
  - {name: sites, file: sites.csv, schema: site.schema.json}
entities:
  - name: site_type
    source: site_types
    entityType: SiteType
    action: Merge
    id: code(row.code)
    groupOrder: 1
    userObjectId: '"T-" + row.code'
    properties: {code: row.code, description: row.desc, permissionTreeId: code("A20")}
  - name: site
    source: sites
    entityType: Site
    action: Merge
    id: code(row.code)
    groupOrder: 2
    userObjectId: '"S-" + row.code'
    properties: {code: row.code, description: '"Site " + row.code', permissionTreeId: code("A20"),
                 siteTypeId: 'SITETYPE', currencyId: code("ZAR")}
`

// depsFiles are depsJob's files with siteTypeId set to converter; the SiteType BAD has no
// description, which its schema requires, so it is invalid; S5 refers to a SiteType no row
// produces.
func depsFiles(converter string) map[string]string {
	return map[string]string{
		"job.yaml":              strings.Replace(depsJob, "SITETYPE", converter, 1),
		"site_types.csv":        "code,desc\nFAC,Facility\nBAD,\nWH,Warehouse\n",
		"sites.csv":             "code,site_type\nS1,FAC\nS2,BAD\nS3,BAD\nS4,WH\nS5,NEW\n",
		"site_type.schema.json": `{"type": "object", "required": ["code", "desc"], "properties": {"code": {"type": "string"}, "desc": {"type": "string"}}}`,
		"site.schema.json":      `{"type": "object", "properties": {"code": {"type": "string"}, "site_type": {"type": "string"}}}`,
	}
}

// The converter forms that name SiteType: a Code lookup named by its property, and Custom keys.
var siteTypeConverters = []struct{ name, expr string }{
	{"code", `code(row.site_type)`},
	{"short form", `{"converter": "ReferenceLookup", "code": row.site_type}`},
	{"custom", `custom({"SiteType->Code": row.site_type})`},
}

// A Site whose siteTypeId converter looks up an invalid SiteType of an earlier group is skipped
// in the dry run, naming the SiteType, its userObjectId and its row; the others stay valid.
func TestConverterDependencyDryRun(t *testing.T) {
	for _, c := range siteTypeConverters {
		t.Run(c.name, func(t *testing.T) {
			out := dryRun(t, depsFiles(c.expr))
			got := reportLines(t, out.RunDir)
			want := []string{
				"T-FAC valid",
				"T-BAD invalid: site_types.csv:3:desc: desc is missing",
				"T-WH valid",
				"S-S1 valid",
				`S-S2 skipped: siteTypeId: refers to SiteType "BAD" (userObjectId "T-BAD", site_types.csv:3), which is invalid`,
				`S-S3 skipped: siteTypeId: refers to SiteType "BAD" (userObjectId "T-BAD", site_types.csv:3), which is invalid`,
				"S-S4 valid",
				"S-S5 valid",
			}
			if !slices.Equal(got, want) {
				t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if out.Summary.Count(record.Skipped) != 2 || len(out.Summary.Notes) != 0 {
				t.Errorf("summary: %d skipped, notes %q; want 2 and none", out.Summary.Count(record.Skipped), out.Summary.Notes)
			}
		})
	}
}

// In a run the Sites of the invalid SiteType never reach the sandbox; the others are sent and
// stored.
func TestConverterDependencyRun(t *testing.T) {
	for _, c := range siteTypeConverters {
		t.Run(c.name, func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			r := runOnSandbox(t, cfg, depsFiles(c.expr), map[string]string{"SANDBOX_TOKEN": cfg.Tokens[0]})
			if r.err != nil {
				t.Fatal(r.err)
			}
			sent := map[string]bool{}
			for _, q := range r.sb.Requests() {
				for _, u := range q.UserObjectIDs {
					sent[u] = true
				}
			}
			for _, u := range []string{"S-S2", "S-S3", "T-BAD"} {
				if sent[u] {
					t.Errorf("%s was sent", u)
				}
			}
			for _, u := range []string{"T-FAC", "T-WH", "S-S1", "S-S4", "S-S5"} {
				if !sent[u] {
					t.Errorf("%s was not sent", u)
				}
			}
			rep := reportByUOID(t, r.dir)
			for u, want := range map[string]string{"S-S1": "succeeded", "S-S4": "succeeded", "S-S2": "skipped", "S-S3": "skipped"} {
				if got := rep[u]["status"]; got != want {
					t.Errorf("%s is %v, want %s", u, got, want)
				}
			}
			if got := countCreated(r.sb, "Site"); got != 2 {
				t.Errorf("the sandbox holds %d Sites of the run, want 2 (S1, S4; S5's SiteType does not exist)", got)
			}
		})
	}
}

// What cannot be linked makes no dependency, and the summary says so once per property: a name
// that two entity types end, a Custom key through another entity, a code two records produce.
func TestConverterDependencyNotLinked(t *testing.T) {
	files := depsFiles(`code(row.site_type)`)
	files["job.yaml"] = strings.Replace(files["job.yaml"], "siteTypeId: 'code(row.site_type)'",
		`mainSiteTypeId: code(row.site_type), siteId: 'custom({"SiteType->Code": row.site_type, "SiteType->Parent_Code": "X"})'`, 1) + `
  - name: other_type
    source: site_types
    entityType: Type
    action: Merge
    id: code(row.code)
    groupOrder: 1
    userObjectId: '"Y-" + row.code'
    properties: {code: row.code, description: row.desc}
`
	out := dryRun(t, files)
	for _, line := range reportLines(t, out.RunDir) {
		if strings.HasPrefix(line, "S-") && !strings.HasSuffix(line, " valid") {
			t.Errorf("%s: want valid, no dependency made", line)
		}
	}
	want := []string{
		`site.mainSiteTypeId: no dependency made: its name could name SiteType or Type; write custom({"SiteType->Code": ...}) to say which (5 records)`,
		`site.siteId: no dependency made: its key "SiteType->Parent_Code" goes through another entity (5 records)`,
	}
	if !slices.Equal(out.Summary.Notes, want) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(out.Summary.Notes, "\n"), strings.Join(want, "\n"))
	}

	// Two SiteType records with the code BAD: which one the server finds cannot be told.
	files = depsFiles(`code(row.site_type)`)
	files["site_types.csv"] = "code,desc\nFAC,Facility\nBAD,\nWH,Warehouse\n"
	files["job.yaml"] += `
  - name: site_type_again
    source: site_types
    entityType: SiteType
    action: Merge
    id: code(row.code)
    groupOrder: 1
    userObjectId: '"U-" + row.code'
    properties: {code: row.code, description: '"again"'}
`
	out = dryRun(t, files)
	got := fmt.Sprint(out.Summary.Notes)
	if want := `[site.siteTypeId: no dependency made: more than one record of SiteType in earlier groups has what it looks up (4 records)]`; got != want {
		t.Errorf("notes %s, want %s", got, want)
	}
	if n := out.Summary.Count(record.Skipped); n != 0 {
		t.Errorf("%d records skipped, want none", n)
	}
}
