package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestAnswerShapes: each configured answer shape is what the sandbox sends, and the records are
// applied (or refused) the same whatever the shape: A and C are stored, B (no description) is
// refused.
func TestAnswerShapes(t *testing.T) {
	bad := `{"entityType":"SiteType","action":"Create","userObjectId":"B","properties":{"code":"T2","permissionTreeId":{"code":"A20"}}}`
	body := importBody(siteType("A", "Create", "T1", ""), bad, siteType("C", "Create", "T3", ""))
	tests := []struct {
		name    string
		answers Answers
		status  int
		want    string // the answer's body, with ids and versions as found
	}{
		{"results", Answers{}, 200, `[{"userObjectId":"A","id":6000000001,"version":1,"status":"Succeeded","messages":[]},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_NotNullValidator"`},
		{"empty with a refusal: messages", Answers{PerRecord: "empty"}, 200, `{"messages":[{"code":"Core_NotNullValidator"`},
		{"204 with a refusal: messages", Answers{PerRecord: "204"}, 200, `{"messages":[{"code":"Core_NotNullValidator"`},
		{"messages", Answers{PerRecord: "messages"}, 200, `{"messages":[{"code":"Core_NotNullValidator","message":"{SiteType-\u003eDescription} must not be empty.","severity":"error","userObjectId":"B"`},
		{"items", Answers{PerRecord: "items"}, 200, `{"items":[{"userObjectId":"A","objectId":6000000001,"objectVersion":1,"status":"Succeeded","messages":[]},{"userObjectId":"B","status":"Failed"`},
		{"object", Answers{PerRecord: "object"}, 200, `{"status":"done"}`},
		{"status_word", Answers{PerRecord: "status_word"}, 200, `[{"userObjectId":"A","id":6000000001,"version":1,"status":"Done","messages":[]},{"userObjectId":"B","status":"Failed"`},
		{"refusal 400", Answers{PerRecordRefusal: "400"}, 400, `{"messages":[{"code":"Core_NotNullValidator","message":"{SiteType-\u003eDescription} must not be empty.","severity":"error","userObjectId":"B","objectType":"SiteType","properties":["SiteType-\u003eDescription"]}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, func(c *Config) { c.Answers = tc.answers })
			a := call(t, s, "POST", importPath+"?mode=PerRecord", "application/vnd.onkey.entityimportcollection+json", body)
			if a.status != tc.status || !strings.HasPrefix(a.body, tc.want) {
				t.Errorf("HTTP %d %s\nwant %d %s…", a.status, a.body, tc.status, tc.want)
			}
			var codes []string
			for _, r := range s.Records("SiteType") {
				if r.UserObjectID != "" {
					codes = append(codes, r.UserObjectID)
				}
			}
			if strings.Join(codes, ",") != "A,C" {
				t.Errorf("stored %v, want A and C", codes)
			}
		})
	}
	t.Run("empty and 204 when all succeed", func(t *testing.T) {
		for _, shape := range []string{"empty", "204"} {
			s := start(t, func(c *Config) { c.Answers.PerRecord = shape })
			a := call(t, s, "POST", importPath+"?mode=PerRecord", "application/vnd.onkey.entityimportcollection+json", importBody(siteType("A", "Create", "T1", "")))
			if want := map[string]int{"empty": 200, "204": 204}[shape]; a.status != want || a.body != "" {
				t.Errorf("%s: HTTP %d %q, want %d and no body", shape, a.status, a.body, want)
			}
		}
	})
}

// TestExistsShapes: each configured exists-check shape says what the default one says.
func TestExistsShapes(t *testing.T) {
	checks := `[{"checkType":"Code","entityType":"SiteType","userObjectId":"F","properties":{"Code":"FAC"}},{"checkType":"Code","entityType":"SiteType","userObjectId":"N","properties":{"Code":"NONE"}}]`
	tests := []struct{ shape, want string }{
		{"", `[{"userObjectId":"F","entityType":"SiteType","exists":true,"id":5000001000,"version":1,"matches":1,"messages":[]},{"userObjectId":"N","entityType":"SiteType","exists":false,"matches":0,"messages":[]}]`},
		{"count", `[{"userObjectId":"F","count":1,"ids":[5000001000]},{"userObjectId":"N","count":0,"ids":[]}]`},
		{"items", `{"items":[{"userObjectId":"F","entityType":"SiteType","exists":true,"id":5000001000,"version":1,"matches":1,"messages":[]},{"userObjectId":"N","entityType":"SiteType","exists":false,"matches":0,"messages":[]}]}`},
		{"unknown", `[{"userObjectId":"F","found":true},{"userObjectId":"N","found":false}]`},
	}
	for _, tc := range tests {
		s := start(t, func(c *Config) { c.Answers.Exists = tc.shape })
		a := call(t, s, "POST", "/modules/system/existschecks", contentExists, checks)
		if a.status != 200 || strings.TrimSpace(a.body) != tc.want {
			t.Errorf("%q: HTTP %d %s\nwant %s", tc.shape, a.status, a.body, tc.want)
		}
		if !json.Valid([]byte(a.body)) {
			t.Errorf("%q: not JSON", tc.shape)
		}
	}
}

// TestAnswersValidated: an unknown shape is a config error naming its key.
func TestAnswersValidated(t *testing.T) {
	c := DefaultConfig()
	c.Answers = Answers{PerRecord: "xml", PerRecordRefusal: "500", Exists: "maybe"}
	err := c.Validate()
	for _, key := range []string{"answers.per_record: must be one of", "answers.per_record_refusal: must be one of", "answers.exists: must be one of"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error %v, want %q", err, key)
		}
	}
}
