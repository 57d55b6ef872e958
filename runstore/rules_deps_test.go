package runstore

import (
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/targets/onkey"
)

func siteType(uoid, code string, st string) rec {
	return rec{entity: "site_type", uoid: uoid, status: record.Status(st), kind: "onkey", etype: "SiteType", group: 1,
		body: `{"entityType":"SiteType","properties":{"code":"` + code + `"}}`}
}

func site(uoid, code, props string, group int) rec {
	return rec{entity: "site", uoid: uoid, status: valid, kind: "onkey", etype: "Site", group: group,
		body: `{"entityType":"Site","id":{"converter":"ReferenceLookup","code":"` + code + `"},"properties":{"code":"` + code + `"` + props + `}}`}
}

// TestConverterDependencies: On Key converters that look up a record of an earlier group depend
// on it; an invalid dependency skips the record, naming it; ambiguous and unlinkable converters
// are noted once per entity and property.
func TestConverterDependencies(t *testing.T) {
	cases := []struct {
		name string
		recs []rec
		want string
	}{
		{"one group links nothing, and reads no body", []rec{
			site("S1", "CPT", `,"parentSiteId":{"converter":"ReferenceLookup","code":"JNB"}`, 1),
			site("S2", "JNB", ``, 1)}, ``},
		{"an invalid site type skips the sites that refer to it, and a site of a later group theirs", []rec{
			siteType("T1", "FAC", "invalid"),
			site("S1", "CPT", `,"siteTypeId":{"converter":"ReferenceLookup","code":"FAC"}`, 2),
			site("S2", "EL", `,"parentSiteId":{"converter":"ReferenceLookup","code":"CPT"}`, 3),
			site("S3", "GRJ", `,"parentSiteId":{"converter":"ReferenceLookup","code":"EL"},"siteTypeId":{"converter":"ReferenceLookup","type":"Custom","properties":{"SiteType->Code":"FAC"}}`, 4)}, `
2 skipped: dependency siteTypeId: refers to SiteType "FAC" (userObjectId "T1", rows.csv:2), which is invalid
3 skipped: dependency parentSiteId: refers to Site "CPT" (userObjectId "S1", rows.csv:3), which is skipped
4 skipped: dependency siteTypeId: refers to SiteType "FAC" (userObjectId "T1", rows.csv:2), which is invalid
2 depends on 1: siteTypeId SiteType "FAC"
3 depends on 2: parentSiteId Site "CPT"
4 depends on 3: parentSiteId Site "EL"
4 depends on 1: siteTypeId SiteType "FAC"`},
		{"two records of earlier groups that match, and a key through another entity, make notes", []rec{
			siteType("T1", "OFF", "valid"), siteType("T2", "OFF", "valid"),
			site("S1", "CPT", `,"siteTypeId":{"converter":"ReferenceLookup","code":"OFF"}`, 2),
			site("S2", "JNB", `,"siteTypeId":{"converter":"ReferenceLookup","code":"OFF"}`, 2),
			site("S3", "DBN", `,"siteTypeId":{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->SiteType_Code":"FAC"}}`, 2)}, `
note: site.siteTypeId: no dependency made: its key "Site->SiteType_Code" goes through another entity (1 record)
note: site.siteTypeId: no dependency made: more than one record of SiteType in earlier groups has what it looks up (2 records)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := build(t, Options{Refs: onkey.ConverterRefs}, c.recs)
			am, err := Resolve(b.ix, b.lookup)
			if err != nil {
				t.Fatal(err)
			}
			checkOutcomes(t, outcomes(t, b, am), c.want)
			if len(c.want) == 0 && len(b.looked) != 0 {
				t.Errorf("Lookup asked for %v", b.looked)
			}
		})
	}
}
