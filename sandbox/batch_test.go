package sandbox

import (
	"fmt"
	"slices"
	"testing"
)

func TestBatchEndpoints(t *testing.T) {
	const path = "/modules/Core/SiteTypes?mode=PerRecord"
	s := start(t, nil)
	steps := []struct {
		name, method, contentType, body string
		status                          int
		want                            []string // result summaries
	}{
		{name: "create", method: "POST", contentType: contentCreate, status: 200,
			body: `[{"userObjectId":"r1","properties":{"code":"OFF","description":"Office","permissionTreeId":5000000}},
			        {"userObjectId":"r2","properties":{"code":"FAC","description":"Dup","permissionTreeId":5000000}}]`,
			want: []string{"r1 Succeeded", "r2 Failed Core_UniqueValidator"}},
		{name: "patch with the right and a stale version", method: "PATCH", contentType: contentPatch, status: 200,
			body: `[{"id":5000001000,"version":1,"operations":[{"path":"description","value":"Factory"}]},
			        {"id":5000001000,"version":1,"operations":[{"path":"description","value":"Again"}]}]`,
			want: []string{" Succeeded", " Failed Core_ConcurrencyVersionMismatch"}},
		{name: "patch clearing a required property", method: "PATCH", contentType: contentPatch, status: 200,
			body: `[{"id":5000001000,"version":2,"operations":[{"path":"description","value":null}]}]`,
			want: []string{" Failed Core_NotNullValidator"}},
		{name: "delete of a record in use, and of one that is not there", method: "DELETE", contentType: contentDelete, status: 200,
			body: `[{"id":5000001000,"version":2},{"id":12345,"version":1}]`,
			want: []string{" Failed Core_RecordInUse", " Failed Core_RecordNotFound"}},
		{name: "wrong content type", method: "POST", contentType: contentImport, body: "[]", status: 415},
		{name: "wrong method", method: "PUT", contentType: contentCreate, body: "[]", status: 405},
	}
	for _, st := range steps {
		a := call(t, s, st.method, path, st.contentType, st.body)
		if a.status != st.status {
			t.Fatalf("%s: status %d, want %d: %s", st.name, a.status, st.status, a.body)
		}
		if st.status != 200 {
			continue
		}
		var got []string
		for _, r := range results(t, a.body) {
			got = append(got, summary(r))
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("%s: got %q, want %q", st.name, got, st.want)
		}
	}
	recs := s.Records("SiteType")
	if len(recs) != 2 || recs[0].Version != 2 || recs[0].Properties["description"] != "Factory" {
		t.Errorf("stored %+v", recs)
	}
	// A created record is deleted with its version.
	a := call(t, s, "DELETE", path, contentDelete, fmt.Sprintf(`[{"id":%d,"version":1}]`, recs[1].ID))
	if rs := results(t, a.body); len(rs) != 1 || rs[0].Status != statusSucceeded || len(s.Records("SiteType")) != 1 {
		t.Errorf("delete: %s", a.body)
	}
	if a := call(t, s, "POST", "/modules/Core/Spaceships", contentCreate, "[]"); a.status != 404 {
		t.Errorf("unknown resource: %d", a.status)
	}
}
