package sandbox

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fiftyWithTwoBad is 50 SiteType creates; S10 lacks its required description and S30's
// permission tree does not exist.
func fiftyWithTwoBad() string {
	var recs []string
	for i := 1; i <= 50; i++ {
		uoid, code := fmt.Sprintf("S%02d", i), fmt.Sprintf("T%02d", i)
		switch i {
		case 10:
			recs = append(recs, fmt.Sprintf(`{"entityType":"SiteType","action":"Create","userObjectId":%q,"properties":{"code":%q,"permissionTreeId":{"code":"A20"}}}`, uoid, code))
		case 30:
			recs = append(recs, fmt.Sprintf(`{"entityType":"SiteType","action":"Create","userObjectId":%q,"properties":{"code":%q,"description":"x","permissionTreeId":{"converter":"ReferenceLookup","type":"Code","code":"NOPE"}}}`, uoid, code))
		default:
			recs = append(recs, siteType(uoid, "Create", code, ""))
		}
	}
	return importBody(recs...)
}

func TestImportModes(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantStored int // SiteTypes stored, the seeded FAC included
	}{
		{name: "PerRecord: 48 stored, 2 failed", query: "?mode=PerRecord", wantStatus: 200, wantStored: 49},
		{name: "AllOrNone: nothing stored", query: "?mode=AllOrNone", wantStatus: 400, wantStored: 1},
		{name: "AllOrNone is the default", query: "", wantStatus: 400, wantStored: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, nil)
			a := call(t, s, "POST", importPath+tc.query, contentImport, fiftyWithTwoBad())
			if a.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.status, tc.wantStatus, a.body)
			}
			if got := len(s.Records("SiteType")); got != tc.wantStored {
				t.Errorf("%d SiteTypes stored, want %d", got, tc.wantStored)
			}
			if tc.wantStatus == 200 {
				rs := results(t, a.body)
				var failed []string
				ok := 0
				for _, r := range rs {
					if r.Status == statusSucceeded && r.ID != nil && *r.Version == 1 {
						ok++
					} else if r.Status == statusFailed {
						failed = append(failed, summary(r))
					}
				}
				want := []string{"S10 Failed Core_NotNullValidator", "S30 Failed Core_ReferenceLookupNoMatchFound"}
				if len(rs) != 50 || ok != 48 || !slices.Equal(failed, want) {
					t.Errorf("%d results, %d succeeded, failed %q; want 50, 48, %q", len(rs), ok, failed, want)
				}
				return
			}
			if a.header.Get("Content-Type") != contentNotification {
				t.Errorf("content type %q", a.header.Get("Content-Type"))
			}
			got := codes(messages(t, a.body))
			want := []string{"S10:Core_NotNullValidator", "S30:Core_ReferenceLookupNoMatchFound", ":Core_TransactionRolledBack"}
			if !slices.Equal(got, want) {
				t.Errorf("messages %q, want %q", got, want)
			}
		})
	}
}

func TestImportRecordOutcomes(t *testing.T) {
	site := func(uoid, props string) string {
		return fmt.Sprintf(`{"entityType":"Site","action":"Create","userObjectId":%q,"properties":{"code":"NEW","description":"New","permissionTreeId":{"code":"A20"},"siteTypeId":5000001000,"currencyId":14%s}}`, uoid, props)
	}
	tests := []struct {
		name   string
		record string
		want   string // summary of the single result
		check  func(t *testing.T, r Record)
	}{
		{name: "Code converter, long form", want: "A Succeeded",
			record: `{"entityType":"Warehouse","action":"Create","userObjectId":"A","properties":{"code":"CPT","description":"Cape Town Warehouse","permissionTreeId":{"converter":"ReferenceLookup","type":"Code","code":"A20"},"costCentreId":{"converter":"ReferenceLookup","type":"Code","code":"065"},"siteId":{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->Code":"A10","Site->SiteType_Code":"FAC"}}}}`,
			check: func(t *testing.T, r Record) {
				if r.Properties["permissionTreeId"] != int64(seedPermissionTreeA20) || r.Properties["costCentreId"] != int64(5000002001) || r.Properties["siteId"] != int64(seedSiteA10) {
					t.Errorf("references resolved to %v", r.Properties)
				}
			}},
		{name: "Code converter, short form", record: site("A", ""), want: "A Succeeded"},
		{name: "Custom converter, dotted path", want: "A Succeeded",
			record: site("A", `,"parentSiteId":{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->SiteType.Code":"FAC","Site->Code":"A10"}}`),
			check: func(t *testing.T, r Record) {
				if r.Properties["parentSiteId"] != int64(seedSiteA10) {
					t.Errorf("parentSiteId %v", r.Properties["parentSiteId"])
				}
			}},
		{name: "Custom converter, no match", record: site("A", `,"parentSiteId":{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->Code":"A10","Site->SiteType_Code":"OFF"}}`),
			want: "A Failed Core_ReferenceLookupNoMatchFound"},
		{name: "Custom converter, bad path", record: site("A", `,"parentSiteId":{"type":"Custom","properties":{"Site->Nope_Code":"A10"}}`),
			want: "A Failed Core_ValueCouldNotBeConverted"},
		{name: "Custom converter, one match by navigation", record: site("A", `,"siteTypeId":{"type":"Custom","properties":{"SiteType->PermissionTree_Code":"A20"}}`),
			want: "A Succeeded"},
		{name: "Custom converter, several matches", want: "A Failed Core_ReferenceLookupMultipleMatchesFound",
			record: `{"entityType":"Warehouse","action":"Create","userObjectId":"A","properties":{"code":"W","description":"W","permissionTreeId":{"code":"A20"},"siteId":5000001001,"costCentreId":{"type":"Custom","properties":{"CostCentre->PermissionTree_Code":"A20"}}}}`},
		{name: "text for a number", record: site("A", `,"timeZoneOffset":"two"`), want: "A Failed Core_ValueCouldNotBeConverted"},
		{name: "numeric text converts", record: site("A", `,"timeZoneOffset":"2.5","isVirtual":"true"`), want: "A Succeeded",
			check: func(t *testing.T, r Record) {
				if r.Properties["timeZoneOffset"] != 2.5 || r.Properties["isVirtual"] != true {
					t.Errorf("properties %v", r.Properties)
				}
			}},
		{name: "object for a string", record: site("A", `,"sequenceNumber":{"code":"A20"}`), want: "A Failed Core_ValueCouldNotBeConverted"},
		{name: "literal reference that does not exist", record: site("A", `,"parentSiteId":42`), want: "A Failed Core_ReferenceNotFound"},
		{name: "literal reference of another type", record: site("A", `,"parentSiteId":5000001000`), want: "A Failed Core_ReferenceNotFound"},
		{name: "unique code taken", record: strings.Replace(site("A", ""), `"code":"NEW"`, `"code":"A10"`, 1), want: "A Failed Core_UniqueValidator"},
		{name: "unknown property", record: site("A", `,"colour":"red"`), want: "A Failed Core_UnknownProperty"},
		{name: "missing required properties are all reported", want: "A Failed Core_NotNullValidator Core_NotNullValidator",
			record: `{"entityType":"Site","action":"Create","userObjectId":"A","properties":{"code":"X","description":"X","permissionTreeId":{"code":"A20"}}}`},
		{name: "unknown entity type", record: `{"entityType":"Spaceship","action":"Create","userObjectId":"A","properties":{}}`, want: "A Failed Core_UnknownEntityType"},
		{name: "unknown action", record: `{"entityType":"SiteType","action":"Upsert","userObjectId":"A","id":1}`, want: "A Failed Core_InvalidImportAction"},
		{name: "Insert is Create", record: strings.Replace(siteType("A", "Insert", "NEW", ""), `"id":{"code":"NEW"},`, "", 1), want: "A Succeeded"},
		{name: "Update without id", record: `{"entityType":"SiteType","action":"Update","userObjectId":"A","properties":{"description":"x"}}`, want: "A Failed Core_NotNullValidator"},
		{name: "Update of a code that is not there", record: siteType("A", "Update", "NOPE", ""), want: "A Failed Core_ReferenceLookupNoMatchFound"},
		{name: "Update of an id that is not there", record: `{"entityType":"SiteType","action":"Update","userObjectId":"A","id":77,"properties":{}}`, want: "A Failed Core_RecordNotFound"},
		{name: "Update by literal id", record: `{"entityType":"SiteType","action":"Update","userObjectId":"A","id":5000001000,"properties":{"description":"Factory"}}`, want: "A Succeeded",
			check: func(t *testing.T, r Record) {
				if r.ID != seedSiteTypeFAC || r.Version != 2 || r.Properties["description"] != "Factory" || r.Properties["code"] != "FAC" {
					t.Errorf("record %+v", r)
				}
			}},
		{name: "Update clearing a required property", record: `{"entityType":"SiteType","action":"Update","userObjectId":"A","id":{"code":"FAC"},"properties":{"description":null}}`, want: "A Failed Core_NotNullValidator"},
		{name: "Delete of a referenced record", record: `{"entityType":"SiteType","action":"Delete","userObjectId":"A","id":{"code":"FAC"}}`, want: "A Failed Core_RecordInUse"},
		{name: "Delete", record: `{"entityType":"Alarm","action":"Delete","userObjectId":"A","id":{"code":"AL1"}}`, want: "A Succeeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) {
				c.Entities["Alarm"].Records = []SeedRecord{{ID: 9, Properties: map[string]any{"code": "AL1", "description": "Alarm 1", "permissionTreeId": 5000000}}}
			})
			a := call(t, s, "POST", importPath+"?mode=PerRecord", contentImport, importBody(tc.record))
			if a.status != 200 {
				t.Fatalf("status %d: %s", a.status, a.body)
			}
			rs := results(t, a.body)
			if len(rs) != 1 || summary(rs[0]) != tc.want {
				t.Fatalf("got %s, want %s", a.body, tc.want)
			}
			if tc.check != nil {
				var found bool
				for _, et := range s.st.m.names {
					for _, r := range s.Records(et) {
						if r.ID == *rs[0].ID {
							tc.check(t, r)
							found = true
						}
					}
				}
				if !found {
					t.Errorf("no record %d stored", *rs[0].ID)
				}
			}
		})
	}
}

func TestImportOrderedGroups(t *testing.T) {
	// The Site (group 2) comes first in the body and needs the SiteType of group 1.
	body := importBody(
		`{"entityType":"Site","action":"Merge","userObjectId":"site","id":{"code":"CPT"},"groupOrder":2,"properties":{"code":"CPT","description":"Cape Town","permissionTreeId":{"code":"A20"},"siteTypeId":{"code":"WHOUSE"},"currencyId":14}}`,
		`{"entityType":"SiteType","action":"Merge","userObjectId":"type","id":{"converter":"ReferenceLookup","type":"Custom","properties":{"SiteType->Code":"WHOUSE"}},"groupOrder":1,"properties":{"code":"WHOUSE","description":"Warehouse","permissionTreeId":{"code":"A20"}}}`,
	)
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{name: "ordered: group 1 first", query: "?mode=PerRecord&ordered=true", want: []string{"site Succeeded", "type Succeeded"}},
		{name: "unordered: body order", query: "?mode=PerRecord", want: []string{"site Failed Core_ReferenceLookupNoMatchFound", "type Succeeded"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, nil)
			a := call(t, s, "POST", importPath+tc.query, contentImport, body)
			var got []string
			for _, r := range results(t, a.body) {
				got = append(got, summary(r))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			reqs := s.Requests()
			last := reqs[len(reqs)-1]
			if !slices.Equal(last.UserObjectIDs, []string{"site", "type"}) || !slices.Equal(last.GroupOrders, []int64{2, 1}) {
				t.Errorf("logged %v %v", last.UserObjectIDs, last.GroupOrders)
			}
		})
	}
}

func TestImportVersionsIncrease(t *testing.T) {
	s := start(t, nil)
	for i, want := range []int64{1, 2, 3} {
		a := call(t, s, []string{"POST", "PUT", "PATCH"}[i], importPath+"?mode=PerRecord", contentImport,
			importBody(siteType("u", "Merge", "OFF", fmt.Sprintf(`,"description":"Office %d"`, i))))
		rs := results(t, a.body)
		if len(rs) != 1 || rs[0].Status != statusSucceeded || *rs[0].Version != want {
			t.Fatalf("merge %d: %s, want version %d", i+1, a.body, want)
		}
	}
	recs := s.Records("sitetype")
	r := recs[len(recs)-1]
	if r.Version != 3 || r.Properties["description"] != "Office 2" || r.UserObjectID != "u" {
		t.Errorf("stored %+v", r)
	}
}

func TestImportRefusals(t *testing.T) {
	tests := []struct {
		name, method, path, contentType, body string
		headers                               []string
		status                                int
		code                                  string
	}{
		{name: "wrong content type", method: "POST", path: importPath, contentType: "application/json", body: "[]", status: 415, code: CodeUnsupportedMedia},
		{name: "no content type", method: "POST", path: importPath, body: "[]", status: 415, code: CodeUnsupportedMedia},
		{name: "GET", method: "GET", path: importPath, status: 405, code: CodeMethodNotAllowed},
		{name: "not an array", method: "POST", path: importPath, contentType: contentImport, body: `{"a":1}`, status: 400, code: CodeInvalidRequest},
		{name: "no userObjectId", method: "POST", path: importPath, contentType: contentImport, body: `[{"entityType":"SiteType","action":"Create"}]`, status: 400, code: CodeInvalidRequest},
		{name: "userObjectId twice", method: "POST", path: importPath, contentType: contentImport,
			body: importBody(siteType("A", "Merge", "X1", ""), siteType("A", "Merge", "X2", "")), status: 400, code: CodeDuplicateUOID},
		{name: "bad mode", method: "POST", path: importPath + "?mode=Sometimes", contentType: contentImport, body: "[]", status: 400, code: CodeInvalidRequest},
		{name: "no token", method: "POST", path: importPath, contentType: contentImport, body: "[]", headers: []string{"Authorization", ""}, status: 401, code: CodeUnauthorized},
		{name: "wrong token", method: "POST", path: importPath, contentType: contentImport, body: "[]", headers: []string{"Authorization", "Bearer nope"}, status: 401, code: CodeUnauthorized},
		{name: "wrong scheme", method: "POST", path: importPath, contentType: contentImport, body: "[]", headers: []string{"Authorization", "Key sandbox-token"}, status: 401, code: CodeUnauthorized},
		{name: "other tenant", method: "POST", path: "/api/tenants/acme/prod/modules/system/imports", contentType: contentImport, body: "[]", status: 404, code: CodeNotFound},
		{name: "too large", method: "POST", path: importPath, contentType: contentImport, body: "[" + strings.Repeat(" ", 2000) + "]", status: 413, code: CodeTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { c.MaxBodyBytes = 1000 })
			a := call(t, s, tc.method, tc.path, tc.contentType, tc.body, tc.headers...)
			if a.status != tc.status {
				t.Fatalf("status %d, want %d: %s", a.status, tc.status, a.body)
			}
			if ms := messages(t, a.body); len(ms) != 1 || ms[0].Code != tc.code || ms[0].Severity != "error" {
				t.Errorf("messages %+v, want one %s", ms, tc.code)
			}
			if len(s.Records("SiteType")) != 1 {
				t.Errorf("something was stored")
			}
		})
	}
}

func TestImportPathIsCaseInsensitive(t *testing.T) {
	s := start(t, nil)
	a := call(t, s, "POST", "/API/Tenants/DEMO/Main/Modules/System/Imports?Mode=perrecord", contentImport+"; charset=utf-8",
		importBody(siteType("A", "Merge", "OFF", "")))
	if a.status != 200 || results(t, a.body)[0].Status != statusSucceeded {
		t.Fatalf("%d %s", a.status, a.body)
	}
}

// TestSamplePayloadsSucceed sends the payloads samples/onkey-sites would send (its expected
// payloads) to DefaultConfig: every record must succeed.
func TestSamplePayloadsSucceed(t *testing.T) {
	s := start(t, nil)
	files, _ := filepath.Glob("../samples/onkey-sites/expected/payloads/*.json")
	if len(files) != 2 {
		t.Fatalf("payload files %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := call(t, s, http.MethodPost, importPath+"?mode=PerRecord&ordered=true", contentImport, string(b))
		for _, r := range results(t, a.body) {
			if r.Status != statusSucceeded {
				t.Errorf("%s: %s", filepath.Base(f), summary(r))
			}
		}
	}
	if n := len(s.Records("Site")); n != 5 {
		t.Errorf("%d sites, want A10 and 4 new", n)
	}
	if r := s.Records("SiteType")[0]; r.Properties["code"] != "FAC" || r.Version != 2 {
		t.Errorf("FAC after the merge: %+v", r)
	}
}
