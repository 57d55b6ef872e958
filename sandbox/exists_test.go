package sandbox

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestExistsChecks(t *testing.T) {
	// The checks of seed 003's example, and some that cannot be made.
	body := `[
{"checkType":"Code","entityType":"RegularAsset","userObjectId":1,"properties":{"Code":"FOL100"}},
{"checkType":"Custom","entityType":"RegularAsset","userObjectId":2,"properties":{"RegularAsset->CostCentre_Code":"095","RegularAsset->AssetType_Code":"BUI001"}},
{"checkType":"Custom","entityType":"RegularAsset","userObjectId":3,"properties":{"RegularAsset->CostCentre_Code":"076","RegularAsset->AssetType_Code":"*1089"}},
{"checkType":"Custom","entityType":"Site","userObjectId":"s","properties":{"Site->SiteType_Code":"FAC","Site->Code":"A10"}},
{"checkType":"Custom","entityType":"Site","userObjectId":"bad","properties":{"Site->Colour":"red"}},
{"checkType":"Code","entityType":"Spaceship","userObjectId":"none","properties":{"Code":"X"}}
]`
	want := []string{
		`1 true id=5000004001 v=1 matches=1 []`,
		`2 true id=5000004001 v=1 matches=1 []`,
		`3 false matches=0 []`,
		`"s" true id=5000001001 v=1 matches=1 []`,
		`"bad" false matches=0 [Core_ValueCouldNotBeConverted]`,
		`"none" false matches=0 [Core_UnknownEntityType]`,
	}
	for _, method := range []string{"PUT", "POST"} {
		t.Run(method, func(t *testing.T) {
			s := start(t, nil)
			a := call(t, s, method, "/modules/system/existschecks", contentExists, body)
			if a.status != 200 || a.header.Get("Content-Type") != contentExistsResult {
				t.Fatalf("%d %s %s", a.status, a.header.Get("Content-Type"), a.body)
			}
			var rs []existsResult
			if err := json.Unmarshal([]byte(a.body), &rs); err != nil || len(rs) != len(want) {
				t.Fatalf("%v: %s", err, a.body)
			}
			for i, r := range rs {
				got := fmt.Sprintf("%s %v", r.UserObjectID, r.Exists)
				if r.ID != nil {
					got += fmt.Sprintf(" id=%d v=%d", *r.ID, *r.Version)
				}
				var cs []string
				for _, m := range r.Messages {
					cs = append(cs, m.Code)
				}
				got += fmt.Sprintf(" matches=%d %v", r.Matches, cs)
				if got != want[i] {
					t.Errorf("check %d: %s, want %s", i, got, want[i])
				}
			}
		})
	}
}
