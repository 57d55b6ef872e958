package onkey

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

func site(seq int64, uoid, action string) record.Entry {
	return record.Entry{Seq: seq, UserObjectID: uoid, Action: action,
		Body: []byte(fmt.Sprintf(`{"entityType":"Site","action":%q,"userObjectId":%q,"properties":{"code":%q}}`, action, uoid, uoid))}
}

func TestImport(t *testing.T) {
	tgt := spec.Target{URL: "https://h/", Tenant: "acme", Connection: "prod"}
	sub := spec.Submit{Mode: "PerRecord", Ordered: true}
	tests := []struct {
		name       string
		method     string
		batch      []record.Entry
		wantMethod string
		idempotent bool
	}{
		{"merges may be repeated", "", []record.Entry{site(1, "A", "Merge"), site(2, "B", "Update")}, "POST", true},
		{"a create may not", "PUT", []record.Entry{site(1, "A", "Merge"), site(2, "B", "Insert")}, "PUT", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := tgt
			tg.Method = tc.method
			c := Import(tg, sub, tc.batch)
			want := "[\n" + string(tc.batch[0].Body) + ",\n" + string(tc.batch[1].Body) + "\n]\n"
			if string(c.Body) != want || c.Method != tc.wantMethod || c.Idempotent != tc.idempotent || c.ContentType != ImportContentType ||
				c.URL != "https://h/api/tenants/acme/prod/modules/system/imports?mode=PerRecord&ordered=true" {
				t.Errorf("got %s %s %s idempotent=%v\n%s", c.Method, c.URL, c.ContentType, c.Idempotent, c.Body)
			}
		})
	}
}

// AppendImport in the memory of an earlier, longer body gives Import's call, with nothing of the
// earlier body left in it.
func TestAppendImportReusesMemory(t *testing.T) {
	tgt := spec.Target{URL: "https://h/", Tenant: "acme", Connection: "prod"}
	sub := spec.Submit{Mode: "PerRecord"}
	first := Import(tgt, sub, []record.Entry{site(1, "A", "Merge"), site(2, "B", "Merge"), site(3, "C", "Merge")})
	batch := []record.Entry{site(4, "D", "Insert")}
	want := Import(tgt, sub, batch)
	got := AppendImport(first.Body, tgt, sub, batch)
	if string(got.Body) != string(want.Body) || got.URL != want.URL || got.Method != want.Method ||
		got.ContentType != want.ContentType || got.Idempotent != want.Idempotent {
		t.Errorf("AppendImport\n%+v\nImport\n%+v", got, want)
	}
	if &got.Body[0] != &first.Body[0] {
		t.Errorf("AppendImport did not build in the memory it was given")
	}
}

// fakeOnKey answers task polls with task and exists checks with exists.
func fakeOnKey(t *testing.T, task, exists string) *Target {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch {
		case strings.Contains(r.URL.Path, "BackgroundTasks"):
			_, _ = io.WriteString(w, task)
		case strings.HasSuffix(r.URL.Path, "/existschecks"):
			_, _ = io.WriteString(w, exists)
		default:
			http.Error(w, "no", http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	auth, _ := targets.NewAuthorizer(spec.Auth{Kind: "none"}, nil, srv.Client())
	return &Target{Spec: spec.Target{URL: srv.URL, Tenant: "t", Connection: "c"}, Submit: spec.Submit{Mode: "PerRecord", BatchSize: 10},
		Sender: &targets.Sender{HTTP: srv.Client(), Auth: auth}}
}

func taskBody(status string, completed, failed int) string {
	return fmt.Sprintf(`{"class":"BackgroundTask","id":7,"properties":{"status":%q,"totalSteps":2,"completedSteps":%d,"failedSteps":%d}}`,
		status, completed, failed)
}

// render is a result as the tests compare it: "3 succeeded id=9", "4 failed Core_X".
func renderResult(r record.Result) string {
	s := fmt.Sprintf("%d %s", r.Seq, r.Status)
	if r.ServerID != "" {
		s += " id=" + r.ServerID
	}
	for _, m := range r.Messages {
		s += " " + m.Code
	}
	return s
}

// Read turns each answer into a result per record, in the batch's order, on positive evidence:
// a listing answer, an async import's task, a failed Delete after a retry that On Key no longer has.
func TestTargetRead(t *testing.T) {
	batch := []record.Entry{site(3, "A", "Merge"), site(4, "B", "Delete")}
	refusedB := `[{"userObjectId":"A","id":9,"status":"Succeeded"},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_X","message":"no such record","severity":"error"}]}]`
	tests := []struct {
		name         string
		async        string // the submit mode, when the import is accepted for a task
		status       int
		body         string
		attempts     int
		task, exists string
		want         string
	}{
		{name: "listing", status: 200, body: refusedB, attempts: 1, want: "3 succeeded id=9|4 failed Core_X"},
		{name: "unreadable", status: 200, body: `{"done":true}`, attempts: 1, want: "3 unknown unknown|4 unknown unknown"},
		{name: "a retried delete that is gone", status: 200, body: refusedB, attempts: 2,
			exists: `[{"userObjectId":"B","exists":false}]`, want: "3 succeeded id=9|4 succeeded reconciled"},
		{name: "a retried delete still there", status: 200, body: refusedB, attempts: 2,
			exists: `[{"userObjectId":"B","exists":true,"id":5}]`, want: "3 succeeded id=9|4 failed Core_X"},
		{name: "a retried delete the check does not settle", status: 200, body: refusedB, attempts: 2,
			exists: `{"what":1}`, want: "3 succeeded id=9|4 failed Core_X"},
		{name: "async completed", async: "PerRecord", status: 202, attempts: 1, task: taskBody("Completed", 2, 0), want: "3 succeeded|4 succeeded"},
		{name: "async failed steps, PerRecord", async: "PerRecord", status: 202, attempts: 1, task: taskBody("Failed", 1, 1),
			want: "3 unknown unknown|4 unknown unknown"},
		{name: "async failed, AllOrNone", async: "AllOrNone", status: 202, attempts: 1, task: taskBody("Failed", 1, 1),
			want: "3 failed RolledBack|4 failed RolledBack"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := fakeOnKey(t, tc.task, tc.exists)
			polls := 0
			tg.Task = func(string, int, int) { polls++ }
			h := http.Header{}
			if tc.async != "" {
				tg.Submit.Async, tg.Submit.Mode = true, tc.async
				h.Set("OnKey-Request-Location", tg.Spec.URL+"/api/tenants/t/c/Modules/System/BackgroundTasks/7")
			}
			got := tg.Read(t.Context(), &targets.Answer{Status: tc.status, Header: h, Body: []byte(tc.body), Attempts: tc.attempts}, batch)
			var lines []string
			for _, r := range got {
				lines = append(lines, renderResult(r))
			}
			if strings.Join(lines, "|") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(lines, "|"), tc.want)
			}
			if tc.async != "" && polls == 0 {
				t.Error("Task was never told of the background task")
			}
		})
	}
}

func TestRepeatable(t *testing.T) {
	tg := &Target{}
	for action, want := range map[string]bool{"Merge": true, "Update": true, "Create": false, "insert": false, "Delete": false} {
		if got := tg.Repeatable(record.Entry{Action: action}); got != want {
			t.Errorf("Repeatable(%s) = %v, want %v", action, got, want)
		}
	}
}

// The probe is an exists check, of the first entity type named, of a Code no record has: a fresh
// one each time.
func TestProbe(t *testing.T) {
	tg := &Target{Spec: spec.Target{URL: "https://h", Tenant: "a", Connection: "b"}}
	tests := []struct {
		name     string
		entities []spec.Entity
		want     string
	}{
		{name: "first named", entities: []spec.Entity{{Name: "x"}, {EntityType: "SiteType"}, {EntityType: "Asset"}}, want: "SiteType"},
		{name: "none named", entities: []spec.Entity{{Name: "x"}}, want: "Site"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p1, err := tg.Probe(tc.entities)
			p2, _ := tg.Probe(tc.entities)
			c1 := p1.Call
			if err != nil || c1.Method != "POST" || c1.URL != "https://h/api/tenants/a/b/modules/system/existschecks" ||
				c1.ContentType != ExistsContentType || !c1.Idempotent || string(c1.Body) == string(p2.Call.Body) ||
				!strings.Contains(string(c1.Body), `"entityType":"`+tc.want+`"`) || !strings.Contains(p1.What, "bulkload-preflight-") ||
				!strings.Contains(p1.NotThere, `tenant "a" and connection "b"`) {
				t.Errorf("probe %s %s %s (%s; %s): %s; the next: %s", c1.Method, c1.URL, c1.ContentType, p1.What, p1.NotThere, c1.Body, p2.Call.Body)
			}
		})
	}
}
