package onkey

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// long is a number too large for any Go number type, and longer than a message may be.
var long = strings.Repeat("9", 400)

// maxLine is the most characters a message made from an answer may have: targets.Snippet's 200
// and the words around it.
const maxLine = 400

// checkLine fails unless s is one line of valid UTF-8 within maxLine characters.
func checkLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\r\n") || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxLine {
		t.Fatalf("%s is not one short line (%d characters): %.300q", what, utf8.RuneCountInString(s), s)
	}
}

// FuzzReadImportAnswer reads arbitrary answers, with any status, to an import batch of the
// records named by a comma-separated list (duplicates and "" included). Whatever the answer:
// nothing panics; only a 2xx answer can be unreadable, and then the error is one short line and
// no record has a result (nothing claims success); otherwise every record has exactly one result,
// and a record succeeded exactly when the answer is 2xx, no error message or failed result names
// it, no error message names no record, and (with AllOrNone) no other record failed. A failed
// record says why, and every message is one short line.
func FuzzReadImportAnswer(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, ""},
		{200, `[{"userObjectId":"A","id":101,"version":1,"status":"Succeeded"},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_NotNullValidator","message":"Code is required","severity":"error","userObjectId":"B","properties":["code"]}]},{"userObjectId":"C","objectId":"103","version":4}]`},
		{200, `{"messages":[{"code":"Core_ReferenceLookupNoMatchFound","message":"no SiteType FAX","severity":"error","userObjectId":"C"},{"code":"Info","message":"done","severity":"information"}]}`},
		{200, `{"results":[{"userObjectId":"A","success":false}],"messages":[{"code":"W","severity":"warning","message":"w"}]}`},
		{200, `[{"userObjectId":"A","status":"Failed"}]`},
		{200, `{"messages":[{"code":"X","message":"boom"}]}`},
		{400, `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"},{"code":"Bad","message":"request refused","severity":"error"}]}`},
		{415, "<html><title>unsupported</title></html>"},
		{500, `{"error":"boom"}`},
		{200, "<html>hello</html>"},
		{200, `[{"userObjectId":"A"`},
		{200, `"OK"`},
		{200, `{"messages":"done"}`},
		{200, `[{"userObjectId":"A","version":1e99}]`},
		{200, `[{"userObjectId":"A","version":` + long + `}]`}, // once a message as long as the number
		{218, `{"messAges":[{}]}`},                             // found: an error with no message
		{204, "  \n"},
		{302, ""},
		{-1, "null"},
	} {
		f.Add(s.status, []byte(s.body), "A,B,C", false)
		f.Add(s.status, []byte(s.body), "A,B,,A", true)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte, uoids string, allOrNone bool) {
		list := strings.Split(uoids, ",")
		got, err := ReadImportAnswer(status, body, list, allOrNone)
		is2xx := status >= 200 && status < 300
		if err != nil {
			if !is2xx {
				t.Fatalf("HTTP %d: error %v; only a 2xx answer may be unreadable", status, err)
			}
			if got != nil {
				t.Fatalf("HTTP %d: error %v, and results for %d records", status, err, len(got))
			}
			checkLine(t, "the error", err.Error())
			return
		}
		want := map[string]bool{}
		for _, u := range list {
			want[u] = true
		}
		if len(got) != len(want) {
			t.Fatalf("%d results for %d records", len(got), len(want))
		}
		// What the answer says, as the package reads it (an answer it could not read failed
		// every record above, or is not 2xx).
		results, notes, _ := decodeAnswer(body)
		failed := map[string]bool{}
		general := !is2xx
		for _, r := range results {
			if r.failed() {
				failed[r.UserObjectID] = true
			}
		}
		for _, n := range notes {
			switch {
			case !n.IsError():
			case n.UserObjectID != "" && want[n.UserObjectID]:
				failed[n.UserObjectID] = true
			default:
				general = true
			}
		}
		anyFailed := false
		for u := range want {
			if failed[u] {
				anyFailed = true
			}
		}
		for u := range want {
			r := got[u]
			if r == nil {
				t.Fatalf("no result for %q", u)
			}
			wantOK := !general && !failed[u] && !(allOrNone && anyFailed)
			if r.OK != wantOK {
				t.Fatalf("HTTP %d, record %q: OK %v, want %v (named as failed %v, a general error %v, AllOrNone %v with a failure %v)",
					status, u, r.OK, wantOK, failed[u], general, allOrNone, anyFailed)
			}
			if !r.OK && !explained(r.Messages) {
				t.Fatalf("HTTP %d, record %q failed without an error message: %+v", status, u, r.Messages)
			}
			for _, m := range r.Messages {
				checkLine(t, "a message", m.Message)
				checkLine(t, "a code", m.Code)
			}
		}
	})
}

// explained reports whether ms holds an error message that says something.
func explained(ms []Notification) bool {
	for _, m := range ms {
		if m.IsError() && strings.TrimSpace(m.Message) != "" {
			return true
		}
	}
	return false
}

// FuzzReadExistsAnswer reads arbitrary answers to exists checks: nothing panics; an error is one
// short line; otherwise every result is filed under its own userObjectId, one per userObjectId
// the answer names, an id given as a JSON string or number is that string or number's text, and
// every message is one short line.
func FuzzReadExistsAnswer(f *testing.F) {
	for _, s := range []string{
		`[{"userObjectId":"A","exists":true,"id":5000001001,"version":3},{"userObjectId":"B","exists":false}]`,
		`[{"userObjectId":7,"exists":true,"id":"x\"y"},{"userObjectId":null,"id":null}]`,
		`[{"userObjectId":"A","messages":[{"code":"Core_X","message":"no such type","severity":"error"}]}]`,
		`[{"userObjectId":"\u0041","id":{"a":1}}]`,
		`[{"userObjectId":"A","version":1e99}]`,
		`[{"userObjectId":"A","version":` + long + `}]`,
		"1" + long,
		`[{"userObjectId":"A","messages":[{"message":"line one\nline two ` + long + `"}]}]`,
		`{"messages":[]}`,
		`<html><title>login</title></html>`,
		``,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ReadExistsAnswer(body)
		if err != nil {
			if got != nil {
				t.Fatalf("error %v and %d results", err, len(got))
			}
			checkLine(t, "the error", err.Error())
			return
		}
		var raw []map[string]json.RawMessage
		if json.Unmarshal(body, &raw) != nil {
			t.Fatalf("no error for an answer that is no list of objects: %.100q", body)
		}
		ids := map[string]json.RawMessage{} // the id of the last result for each userObjectId
		for _, o := range raw {
			u, ok := field(o, "userObjectId")
			id, idOK := field(o, "id")
			if !ok || !idOK {
				return // which member encoding/json uses is not this test's business
			}
			ids[jsonText(t, u)] = id
		}
		if len(got) != len(ids) {
			t.Fatalf("%d results for %d userObjectIds", len(got), len(ids))
		}
		for k, r := range got {
			id, named := ids[k]
			if k != r.UserObjectID || !named {
				t.Fatalf("result %+v filed under %q", r, k)
			}
			if isScalar(id) && r.ID != jsonText(t, id) {
				t.Fatalf("id %s read as %q", id, r.ID)
			}
			for _, m := range r.Messages {
				checkLine(t, "a message", m.Message)
				checkLine(t, "a code", m.Code)
			}
		}
	})
}

// field returns the member of o whose name is key, ignoring case as encoding/json does (nil
// when there is none); ok is false when there are several.
func field(o map[string]json.RawMessage, key string) (v json.RawMessage, ok bool) {
	n := 0
	for k, raw := range o {
		if strings.EqualFold(k, key) {
			v, n = raw, n+1
		}
	}
	return v, n <= 1
}

// isScalar reports whether raw is a JSON string or number.
func isScalar(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '"' || raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// jsonText is a JSON string's text, a number's literal, "" for null or nothing, and the JSON
// itself otherwise.
func jsonText(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	raw = bytes.TrimSpace(raw)
	var s string
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return s
	}
	return string(raw)
}

// FuzzReadTask reads arbitrary background task answers: nothing panics; an error is one short
// line; otherwise the task has a status, is done when it is OK, and its id, when the answer gives
// it as a JSON string or number, is that string or number's text.
func FuzzReadTask(f *testing.F) {
	for _, s := range []string{
		`{"class":"BackgroundTask","id":1584247614480001,"properties":{"status":"Running","totalSteps":10,"completedSteps":4,"failedSteps":0}}`,
		`{"id":"7","properties":{"status":"Completed","totalSteps":3,"completedSteps":3}}`,
		`{"id":8,"status":"Completed","totalSteps":3,"completedSteps":2,"failedSteps":1}`,
		`{"id":9,"properties":{"status":"Failed","failedSteps":2}}`,
		`{"id":"a\"b","status":"Succeeded","properties":null}`,
		`{"id":"\u0031","status":"Queued"}`,
		`{"id":1,"properties":{"status":"Running","totalSteps":1e99}}`,
		`{"id":1,"properties":{"status":"Running","totalSteps":` + long + `}}`,
		"1" + long, // found: an error that spelt out the Go struct it decodes into
		`{"id":1,"properties":{"status":`,
		`{"id":1,"state":"Done"}`,
		`<html><title>Sign in</title></html>`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		task, err := ReadTask(body)
		if err != nil {
			if task != (Task{}) {
				t.Fatalf("error %v and task %+v", err, task)
			}
			checkLine(t, "the error", err.Error())
			return
		}
		if task.Status == "" {
			t.Fatalf("task %+v without a status and no error", task)
		}
		if task.OK() && !task.Done() {
			t.Fatalf("task %+v is OK but not done", task)
		}
		var o map[string]json.RawMessage
		if json.Unmarshal(body, &o) != nil {
			t.Fatalf("no error for an answer that is no object: %.100q", body)
		}
		if id, ok := field(o, "id"); ok && isScalar(id) && task.ID != jsonText(t, id) {
			t.Fatalf("id %s read as %q", id, task.ID)
		}
	})
}
