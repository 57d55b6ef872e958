package onkey

import (
	"fmt"
	"strings"
	"testing"
)

// converterRefs names the entity a converter looks up from its keys or its property's name, and
// makes nothing of what it cannot tell.
func TestConverterRefs(t *testing.T) {
	types := []string{"PermissionTree", "Site", "SiteType", "Type"}
	tests := []struct {
		name, props string // the body's properties object
		want        string // each ref as "property -> lookup" or "property: unlinkable why"
	}{
		{"the name equals a type", `{"siteTypeId": {"converter": "ReferenceLookup", "type": "Code", "code": "FAC"}}`, `siteTypeId -> SiteType "FAC"`},
		{"ignoring case", `{"permissiontreeId": {"converter": "ReferenceLookup", "type": "Code", "code": "A20"}}`, `permissiontreeId -> PermissionTree "A20"`},
		{"the name ends with one type", `{"parentSiteId": {"converter": "ReferenceLookup", "type": "Code", "code": "S1"}}`, `parentSiteId -> Site "S1"`},
		{"the short form", `{"siteTypeId": {"converter": "ReferenceLookup", "code": "FAC"}}`, `siteTypeId -> SiteType "FAC"`},
		{"a numeric code", `{"siteTypeId": {"converter": "ReferenceLookup", "code": 12}}`, `siteTypeId -> SiteType "12"`},
		{"two types end the name", `{"mainSiteTypeId": {"converter": "ReferenceLookup", "code": "FAC"}}`,
			`mainSiteTypeId: its name could name SiteType or Type; write custom({"SiteType->Code": ...}) to say which`},
		{"no type ends the name", `{"currencyId": {"converter": "ReferenceLookup", "code": "ZAR"}}`, ``},
		{"not at a word boundary", `{"prototypeId": {"converter": "ReferenceLookup", "code": "P"}}`, ``},
		{"a name without Id", `{"siteType": {"converter": "ReferenceLookup", "code": "FAC"}}`, ``},
		{"custom keys", `{"siteId": {"converter": "ReferenceLookup", "type": "Custom", "properties": {"Site->Code": "S1", "Site->Description": "x"}}}`,
			`siteId -> Site {code: "S1", description: "x"}`},
		{"custom keys of a type no earlier group has", `{"assetId": {"converter": "ReferenceLookup", "type": "Custom", "properties": {"Asset->Code": "A"}}}`, ``},
		{"custom keys through another entity", `{"siteId": {"converter": "ReferenceLookup", "type": "Custom", "properties": {"Site->Code": "S1", "Site->SiteType_Code": "FAC"}}}`,
			`siteId: its key "Site->SiteType_Code" goes through another entity`},
		{"custom keys of two entities", `{"siteId": {"converter": "ReferenceLookup", "type": "Custom", "properties": {"Site->Code": "S1", "Type->Code": "T"}}}`,
			`siteId: its keys name both Site and Type`},
		{"not a converter", `{"siteTypeId": {"converter": "Other", "code": "FAC"}, "code": "ReferenceLookup"}`, ``},
		{"a plain value", `{"siteTypeId": 5000001000}`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"entityType": "Site", "id": {"converter": "ReferenceLookup", "type": "Code", "code": "S9"}, "properties": ` + tc.props + `}`
			var got []string
			for _, r := range converterRefs([]byte(body), types) {
				if r.unlinkable != "" {
					got = append(got, r.property+": "+r.unlinkable)
				} else {
					got = append(got, fmt.Sprintf("%s -> %s", r.property, r.show()))
				}
			}
			if s := strings.Join(got, "; "); s != tc.want {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}
