package onkey

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestReadImportAnswer(t *testing.T) {
	uoids := []string{"A", "B", "C"}
	tests := []struct {
		name      string
		status    int
		body      string
		allOrNone bool
		want      []string // "A ok id=1 v=2" or "B failed: Code message; ..."
		err       string
	}{
		{name: "empty 200: all succeeded", status: 200, body: "", want: []string{"A ok", "B ok", "C ok"}},
		{name: "per-record results", status: 200,
			body: `[{"userObjectId":"A","id":101,"version":1,"status":"Succeeded"},
			        {"userObjectId":"B","status":"Failed","messages":[{"code":"Core_NotNullValidator","message":"Code is required","severity":"error","userObjectId":"B","properties":["code"]}]},
			        {"userObjectId":"C","objectId":"103","version":4}]`,
			want: []string{"A ok id=101 v=1", "B failed: Core_NotNullValidator Code is required", "C ok id=103 v=4"}},
		{name: "notification naming failed records", status: 200,
			body: `{"messages":[{"code":"Core_ReferenceLookupNoMatchFound","message":"no SiteType FAX","severity":"error","userObjectId":"C"},
			                    {"code":"Info","message":"done","severity":"information"}]}`,
			want: []string{"A ok", "B ok", "C failed: Core_ReferenceLookupNoMatchFound no SiteType FAX"}},
		{name: "AllOrNone: one failure fails all", status: 200, allOrNone: true,
			body: `[{"userObjectId":"A","status":"Succeeded"},{"userObjectId":"B","status":"Failed","messages":[{"code":"X","message":"bad"}]}]`,
			want: []string{"A failed: RolledBack not applied", "B failed: X bad", "C failed: RolledBack not applied"}},
		{name: "400 with notification", status: 400,
			body: `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"},{"code":"Bad","message":"request refused","severity":"error"}]}`,
			want: []string{"A failed: Core_ValueCouldNotBeConverted 'x' is not a number", "B failed: Bad request refused", "C failed: Bad request refused"}},
		{name: "415 with HTML", status: 415, body: "<html>unsupported</html>",
			want: []string{"A failed: HTTP415 HTTP 415: <html>unsupported</html>", "B failed: HTTP415 HTTP 415", "C failed: HTTP415 HTTP 415"}},
		{name: "garbage 200 is an error", status: 200, body: "<html>hello</html>", err: "the answer is not JSON: <html>hello</html>"},
		{name: "truncated JSON 200 is an error", status: 200, body: `[{"userObjectId":"A"`, err: "not a list of record results"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadImportAnswer(tc.status, []byte(tc.body), uoids, tc.allOrNone)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range uoids {
				r := got[u]
				line := u + " ok"
				if r.ID != "" {
					line += fmt.Sprintf(" id=%s v=%d", r.ID, r.Version)
				}
				if !r.OK {
					var ms []string
					for _, m := range r.Messages {
						ms = append(ms, m.Code+" "+m.Message)
					}
					line = u + " failed: " + strings.Join(ms, "; ")
				}
				if !strings.HasPrefix(line, tc.want[i]) {
					t.Errorf("got  %s\nwant %s…", line, tc.want[i])
				}
			}
			if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, uoids) {
				t.Errorf("results for %v, want %v", keys, uoids)
			}
		})
	}
}
