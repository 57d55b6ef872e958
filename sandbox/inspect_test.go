package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestInspectionEndpoints(t *testing.T) {
	s := start(t, nil)
	call(t, s, "POST", importPath+"?mode=PerRecord", contentImport, importBody(siteType("A", "Create", "OFF", "")))
	noAuth := []string{"Authorization", ""}

	a := call(t, s, "GET", "/_sandbox/records?entityType=sitetype", "", "", noAuth...)
	var recs []Record
	if err := json.Unmarshal([]byte(a.body), &recs); err != nil || a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if len(recs) != 2 || recs[1].UserObjectID != "A" || recs[1].Properties["code"] != "OFF" || recs[1].EntityType != "SiteType" {
		t.Errorf("records %+v", recs)
	}

	a = call(t, s, "GET", "/_sandbox/records", "", "", noAuth...)
	var all []Record
	_ = json.Unmarshal([]byte(a.body), &all)
	n := 0
	for _, et := range s.st.m.names {
		n += len(s.Records(et))
	}
	if len(all) != n || n < 10 {
		t.Errorf("all records: %d, want %d", len(all), n)
	}

	a = call(t, s, "GET", "/_sandbox/requests", "", "", noAuth...)
	var reqs []map[string]any
	if err := json.Unmarshal([]byte(a.body), &reqs); err != nil || len(reqs) != 1 {
		t.Fatalf("requests %s", a.body)
	}
	if r := reqs[0]; r["method"] != "POST" || r["status"] != 200.0 || r["query"] != "mode=PerRecord" ||
		!strings.Contains(a.body, `"userObjectIds":["A"]`) {
		t.Errorf("request %v", r)
	}

	if a := call(t, s, "GET", "/_sandbox/records?entityType=Spaceship", "", "", noAuth...); a.status != 404 {
		t.Errorf("unknown type: %d", a.status)
	}
	if a := call(t, s, "POST", "/_sandbox/records", "", "", noAuth...); a.status != 405 {
		t.Errorf("POST: %d", a.status)
	}
}

// The request log keeps the latest log_requests requests, numbered from the start.
func TestRequestLogIsBounded(t *testing.T) {
	s := start(t, func(c *Config) { c.LogRequests = 5 })
	for range 12 {
		call(t, s, "GET", "/v1/company/order-statuses", "", "", "Authorization", "Key sandbox-key")
	}
	reqs := s.Requests()
	if len(reqs) != 5 || reqs[0].Seq != 8 || reqs[4].Seq != 12 {
		var seqs []int
		for _, q := range reqs {
			seqs = append(seqs, q.Seq)
		}
		t.Errorf("the log holds requests %v, want 8 to 12", seqs)
	}
}
