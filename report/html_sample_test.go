package report

import (
	"fmt"
	"time"
)

// samplePage is a dry run of a two-source job as the pipeline would describe it: typing,
// validation, cross-row and server errors, a record skipped because of its parent, and values
// that are markup.
func samplePage() Page {
	t0 := time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)
	cell := func(src, file, sheet string, line int, col string, idx int, ref, value, entity, uoid, status, code, text string) Finding {
		return Finding{Source: src, File: file, Path: "/data/" + file, Sheet: sheet, Line: line, Column: col, Index: idx,
			Cell: ref, Value: value, Entity: entity, UserObjectID: uoid, Status: status, Code: code, Text: text}
	}
	return Page{
		Job: "onkey-sites", Spec: "samples/onkey-sites/job.yaml", Mode: "run", Target: "https://onkey.example.com/api/tenants/acme",
		Started: t0, Finished: t0.Add(83 * time.Second),
		Files: []SourceFile{
			{Source: "sites", File: "sites.xlsx", Sheet: "Sites", Rows: 240},
			{Source: "assets", File: "assets.csv", Rows: 1200},
		},
		Counts: []Tally{
			{Source: "sites", Entity: "site", Group: 1, Status: "succeeded", Records: 234},
			{Source: "sites", Entity: "site", Group: 1, Status: "failed", Records: 2},
			{Source: "sites", Entity: "site", Group: 1, Status: "invalid", Records: 4},
			{Source: "assets", Entity: "asset", Group: 2, Status: "succeeded", Records: 1190},
			{Source: "assets", Entity: "asset", Group: 2, Status: "invalid", Records: 6},
			{Source: "assets", Entity: "asset", Group: 2, Status: "skipped", Records: 3},
			{Source: "assets", Entity: "asset", Group: 3, Status: "unknown", Records: 1},
		},
		Findings: []Finding{
			cell("sites", "sites.xlsx", "Sites", 4, "opened", 3, "Sites!D4", "31/02/2024", "site", "S-004", "invalid", "type", "not a date: 31/02/2024 (day out of range)"),
			cell("sites", "sites.xlsx", "Sites", 6, "site_type", 2, "Sites!C6", "NOPE", "site", "S-006", "failed", "Core_ReferenceLookupNoMatchFound", "On Key found no SiteType with Code NOPE"),
			cell("sites", "sites.xlsx", "Sites", 9, "site_type", 2, "Sites!C9", "DEPOTT", "site", "S-009", "failed", "Core_ReferenceLookupNoMatchFound", "On Key found no SiteType with Code DEPOTT"),
			cell("sites", "sites.xlsx", "Sites", 11, "code", 0, "Sites!A11", "S-011", "site", "S-011", "invalid", "duplicate", "userObjectId S-011 also made by Sites!A57"),
			cell("sites", "sites.xlsx", "Sites", 57, "code", 0, "Sites!A57", "S-011", "site", "S-011", "invalid", "duplicate", "userObjectId S-011 also made by Sites!A11"),
			cell("sites", "sites.xlsx", "Sites", 80, "name", 1, "Sites!B80", "", "site", "S-080", "invalid", "required", "a value is required"),
			cell("sites", "sites.xlsx", "Sites", 91, "opened", 3, "Sites!D91", "next week", "site", "S-091", "invalid", "type", "not a date: next week"),
			cell("assets", "assets.csv", "", 14, "qty", 3, "assets.csv:14:qty", "12,5", "asset", "A-0014", "invalid", "type", "not an integer: 12,5"),
			cell("assets", "assets.csv", "", 15, "qty", 3, "assets.csv:15:qty", "-3", "asset", "A-0015", "invalid", "minimum", "-3 is less than the minimum 0"),
			cell("assets", "assets.csv", "", 16, "site", 1, "assets.csv:16:site", "S-004", "asset", "A-0016", "skipped", "parent", "its parent site S-004 is invalid"),
			cell("assets", "assets.csv", "", 22, "qty", 3, "assets.csv:22:qty", "ten", "asset", "A-0022", "invalid", "type", "not an integer: ten"),
			cell("assets", "assets.csv", "", 31, "serial", 4, "assets.csv:31:serial", "</script><script>alert(1)</script>", "asset", "A-0031", "invalid", "pattern", `does not match pattern "^[A-Z0-9-]+$"`),
			{Source: "assets", File: "assets.csv", Path: "/data/assets.csv", Line: 40, Index: -1, Cell: "assets.csv:40",
				Entity: "asset", UserObjectID: "A-0040", Status: "invalid", Code: "ragged", Text: "7 cells, the header has 6"},
			cell("assets", "assets.csv", "", 52, "qty", 3, "assets.csv:52:qty", "", "asset", "A-0052", "invalid", "required", "a value is required"),
			cell("assets", "assets.csv", "", 60, "site", 1, "assets.csv:60:site", "S-009", "asset", "A-0060", "skipped", "parent", "its parent site S-009 failed"),
			cell("assets", "assets.csv", "", 61, "site", 1, "assets.csv:61:site", "S-009", "asset", "A-0061", "skipped", "parent", "its parent site S-009 failed"),
			{Source: "assets", File: "assets.csv", Path: "/data/assets.csv", Line: 77, Index: -1, Cell: "assets.csv:77",
				Entity: "asset", UserObjectID: "A-0077", Status: "unknown", Code: "unanswered", Text: "sent, but no answer came: run with --resume to settle it"},
		},
	}
}

// bulkPage is a dry run with n invalid records of one source, one finding each, spread over
// four columns and three rules; record i is on line i+2 with value "bad-<i>".
func bulkPage(n int) Page {
	cols := []string{"qty", "price", "site", "due"}
	codes := []string{"type", "minimum", "required"}
	p := Page{Job: "bulk", Spec: "bulk.yaml", Mode: "dry-run", Started: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
		Files:  []SourceFile{{Source: "lines", File: "lines.csv", Rows: n}},
		Counts: []Tally{{Source: "lines", Entity: "line", Status: "invalid", Records: n}}}
	p.Finished = p.Started.Add(12 * time.Second)
	for i := 0; i < n; i++ {
		c := cols[i%len(cols)]
		p.Findings = append(p.Findings, Finding{Source: "lines", File: "lines.csv", Line: i + 2, Column: c, Index: i % len(cols),
			Cell: fmt.Sprintf("lines.csv:%d:%s", i+2, c), Value: fmt.Sprintf("bad-%d", i), Entity: "line",
			UserObjectID: fmt.Sprintf("L-%06d", i), Status: "invalid", Code: codes[i%len(codes)],
			Text: fmt.Sprintf("cell %s of line %d is not acceptable: bad-%d", c, i+2, i)})
	}
	return p
}
