package onkey

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// render is a result as the tests compare it: "A succeeded id=1 v=2", "B failed: Code message;
// ...", "C unknown: message".
func render(u string, r *Result) string {
	line := u + " " + r.Outcome.String()
	if r.ID != "" {
		line += fmt.Sprintf(" id=%s v=%d", r.ID, r.Version)
	}
	if r.Outcome != Succeeded {
		var ms []string
		for _, m := range r.Messages {
			ms = append(ms, strings.TrimSpace(m.Code+" "+m.Message))
		}
		line += ": " + strings.Join(ms, "; ")
	}
	return line
}

func TestReadImportAnswer(t *testing.T) {
	uoids := []string{"A", "B", "C"}
	refusedB := `{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_NotNullValidator","message":"Code is required","severity":"error","userObjectId":"B","properties":["code"]}]}`
	tests := []struct {
		name      string
		status    int
		body      string
		allOrNone bool
		want      []string // the start of render's line for A, B and C
	}{
		{name: "empty 200: all succeeded", status: 200, body: "", want: []string{"A succeeded", "B succeeded", "C succeeded"}},
		{name: "204: all succeeded", status: 204, body: "  \n", want: []string{"A succeeded", "B succeeded", "C succeeded"}},
		{name: "202: accepted, not applied yet", status: 202, body: "", want: []string{"A unknown: unknown HTTP 202, but the request was only accepted", "B unknown", "C unknown"}},
		{name: "empty notification: all succeeded", status: 200, body: `{"messages":[]}`, want: []string{"A succeeded", "B succeeded", "C succeeded"}},
		{name: "per-record results", status: 200,
			body: `[{"userObjectId":"A","id":101,"version":1,"status":"Succeeded"},` + refusedB + `,{"userObjectId":"C","objectId":"103","objectVersion":4,"status":"Created"}]`,
			want: []string{"A succeeded id=101 v=1", "B failed: Core_NotNullValidator Code is required", "C succeeded id=103 v=4"}},
		{name: "items wrapper with status words", status: 200,
			body: `{"items":[{"userObjectId":"A","status":"Succeeded","objectId":7000000001},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number"}]},{"userObjectId":"C","status":"ok","id":"9"}]}`,
			want: []string{"A succeeded id=7000000001 v=0", "B failed: Core_ValueCouldNotBeConverted 'x' is not a number", "C succeeded id=9"}},
		{name: "results and data wrappers, success booleans", status: 200,
			body: `{"data":[{"userObjectId":"A","success":true},{"userObjectId":"B","success":false},{"userObjectId":"C","success":true,"status":"Updated"}]}`,
			want: []string{"A succeeded", `B failed: Failed the answer marks the record as failed ("success": false)`, "C succeeded"}},
		{name: "unknown object", status: 200, body: `{"status":"done","count":3}`,
			want: []string{`A unknown: unknown HTTP 200, but the answer is a JSON object with neither a "messages" array nor a list of record results: {"status":"done","count":3}`, "B unknown", "C unknown"}},
		{name: "unknown status word", status: 200,
			body: `[{"userObjectId":"A","status":"Pending"},{"userObjectId":"B","status":"Succeeded"},{"userObjectId":"C","status":"Succeeded"}]`,
			want: []string{`A unknown: unknown HTTP 200, but its status "Pending" is not one bulkload knows: [{"userObjectId":"A"`, "B succeeded", "C succeeded"}},
		{name: "a result without a status", status: 200, body: `[{"userObjectId":"A","id":5},{"userObjectId":"B","status":"Succeeded"},{"userObjectId":"C","status":"Succeeded"}]`,
			want: []string{"A unknown id=5 v=0: unknown HTTP 200, but the answer names it without a status", "B succeeded", "C succeeded"}},
		{name: "a listing that does not mention a record", status: 200, body: `[{"userObjectId":"A","status":"Succeeded"},{"userObjectId":"B","status":"Succeeded"}]`,
			want: []string{"A succeeded", "B succeeded", "C unknown: unknown HTTP 200, but the answer lists 2 record result(s) and not this one"}},
		{name: "success and an error at once", status: 200, body: `[{"userObjectId":"A","status":"Succeeded","messages":[{"code":"X","message":"bad","severity":"error"}]}]`,
			want: []string{"A unknown: X bad; unknown HTTP 200, but the answer says both", "B unknown", "C unknown"}},
		{name: "a warning does not fail a record", status: 200, body: `[{"userObjectId":"A","status":"Succeeded","messages":[{"code":"W","message":"rounded","severity":"warning"}]}]`,
			want: []string{"A succeeded", "B unknown", "C unknown"}},
		{name: "an unknown severity counts as an error", status: 200, body: `{"messages":[{"code":"X","message":"stop","severity":"fatal","userObjectId":"B"}]}`,
			want: []string{"A succeeded", "B failed: X stop", "C succeeded"}},
		{name: "notification naming failed records", status: 200,
			body: `{"messages":[{"code":"Core_ReferenceLookupNoMatchFound","message":"no SiteType FAX","severity":"error","userObjectId":"C"},
			                    {"code":"Info","message":"done","severity":"information"}]}`,
			want: []string{"A succeeded", "B succeeded", "C failed: Core_ReferenceLookupNoMatchFound no SiteType FAX"}},
		{name: "notification with an error naming no record", status: 200, body: `{"messages":[{"code":"X","message":"boom"}]}`,
			want: []string{"A failed: X boom", "B failed: X boom", "C failed: X boom"}},
		{name: "AllOrNone: one failure fails all", status: 200, allOrNone: true,
			body: `[{"userObjectId":"A","status":"Succeeded"},{"userObjectId":"B","status":"Failed","messages":[{"code":"X","message":"bad"}]}]`,
			want: []string{"A failed: RolledBack not applied", "B failed: X bad", "C failed: RolledBack not applied"}},
		{name: "AllOrNone 400 with notification", status: 400, allOrNone: true,
			body: `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"},{"code":"Bad","message":"request refused","severity":"error"}]}`,
			want: []string{"A failed: Core_ValueCouldNotBeConverted 'x' is not a number", "B failed: Bad request refused", "C failed: Bad request refused"}},
		{name: "PerRecord 400 naming one record: the others unknown", status: 400,
			body: `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"}]}`,
			want: []string{"A failed: Core_ValueCouldNotBeConverted 'x' is not a number",
				"B unknown: unknown HTTP 400, but the request was partly refused: the answer names 1 other record(s) with an error and not this one, which may have been applied", "C unknown"}},
		{name: "PerRecord 400 naming no record fails all", status: 400, body: `{"messages":[{"code":"Core_InvalidRequest","message":"bad body"}]}`,
			want: []string{"A failed: Core_InvalidRequest bad body", "B failed: Core_InvalidRequest bad body", "C failed"}},
		{name: "415 with HTML", status: 415, body: "<html>unsupported</html>",
			want: []string{"A failed: HTTP415 HTTP 415: <html>unsupported</html>", "B failed: HTTP415 HTTP 415", "C failed: HTTP415 HTTP 415"}},
		{name: "garbage 200 is unknown", status: 200, body: "<html>hello</html>",
			want: []string{"A unknown: unknown HTTP 200, but the answer is not JSON: <html>hello</html>", "B unknown", "C unknown"}},
		{name: "truncated JSON 200 is unknown", status: 200, body: `[{"userObjectId":"A"`,
			want: []string{"A unknown: unknown HTTP 200, but the answer is not a list of record results", "B unknown", "C unknown"}},
		{name: "messages not a list is unknown", status: 200, body: `{"messages":"done"}`,
			want: []string{`A unknown: unknown HTTP 200, but the answer's "messages" is not a list of messages: {"messages":"done"}`, "B unknown", "C unknown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ReadImportAnswer(tc.status, []byte(tc.body), uoids, tc.allOrNone)
			for i, u := range uoids {
				if line := render(u, got[u]); !strings.HasPrefix(line, tc.want[i]) {
					t.Errorf("got  %s\nwant %s…", line, tc.want[i])
				}
			}
			if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, uoids) {
				t.Errorf("results for %v, want %v", keys, uoids)
			}
		})
	}
}

// TestReadImportAnswerNumericUOIDs: a result or message naming its record by a number (as the
// request may) is that record's.
func TestReadImportAnswerNumericUOIDs(t *testing.T) {
	got := ReadImportAnswer(400, []byte(`{"messages":[{"code":"X","message":"bad","userObjectId":7}]}`), []string{"7", "8"}, false)
	if got["7"].Outcome != Failed || got["8"].Outcome != Unknown {
		t.Errorf("7 %v, 8 %v; want failed, unknown", got["7"].Outcome, got["8"].Outcome)
	}
	got = ReadImportAnswer(200, []byte(`[{"userObjectId":7,"status":"Succeeded"}]`), []string{"7"}, false)
	if got["7"].Outcome != Succeeded {
		t.Errorf("7 %v, want succeeded", got["7"].Outcome)
	}
}
