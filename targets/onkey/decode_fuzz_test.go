package onkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
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
// nothing panics; every record has exactly one result; a record succeeded only on positive
// evidence (an empty 2xx body, a result naming it with a success word or "success": true, or a
// "messages" array), never with AllOrNone when the answer is not 2xx or another record failed;
// it is unknown only when the answer is 2xx or (PerRecord) names another record; a record that
// did not succeed says why, and every message is one short line.
func FuzzReadImportAnswer(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, ""},
		{200, `[{"userObjectId":"A","id":101,"version":1,"status":"Succeeded"},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_NotNullValidator","message":"Code is required","severity":"error","userObjectId":"B","properties":["code"]}]},{"userObjectId":"C","objectId":"103","version":4}]`},
		{200, `{"items":[{"userObjectId":"A","status":"Succeeded","objectId":7000000001},{"userObjectId":"B","status":"Failed","messages":[{"code":"Core_ValueCouldNotBeConverted","message":"bad"}]}]}`},
		{200, `{"results":[{"userObjectId":"A","status":"Created","objectVersion":2},{"userObjectId":"C","status":"Pending"}]}`},
		{200, `{"data":[{"userObjectId":7,"success":true},{"userObjectId":"B","success":"yes"}]}`},
		{200, `{"value":[{"userObjectId":"A","status":3}],"messages":[]}`},
		{200, `{"status":"done","count":3}`},
		{200, `{"messages":[]}`},
		{200, `{"messages":[{"code":"Core_ReferenceLookupNoMatchFound","message":"no SiteType FAX","severity":"error","userObjectId":"C"},{"code":"Info","message":"done","severity":"information"}]}`},
		{200, `{"results":[{"userObjectId":"A","success":false}],"messages":[{"code":"W","severity":"warning","message":"w"}]}`},
		{200, `[{"userObjectId":"A","status":"Failed"}]`},
		{200, `[{"userObjectId":"A","status":"Succeeded","messages":[{"code":"X","severity":"fatal"}]}]`},
		{200, `{"messages":[{"code":"X","message":"boom"}]}`},
		{400, `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"},{"code":"Bad","message":"request refused","severity":"error"}]}`},
		{400, `{"messages":[{"code":"Core_ValueCouldNotBeConverted","message":"'x' is not a number","severity":"error","userObjectId":"A"}]}`},
		{415, "<html><title>unsupported</title></html>"},
		{500, `{"error":"boom"}`},
		{200, "<html>hello</html>"},
		{200, `[{"userObjectId":"A"`},
		{200, `"OK"`},
		{200, `{"messages":"done"}`},
		{200, `[{"userObjectId":"A","version":1e99}]`},
		{200, `[{"userObjectId":"A","status":"` + long + `"}]`},
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
		got := ReadImportAnswer(status, body, list, allOrNone)
		is2xx := status >= 200 && status < 300
		want := map[string]bool{}
		for _, u := range list {
			want[u] = true
		}
		if len(got) != len(want) {
			t.Fatalf("%d results for %d records", len(got), len(want))
		}
		anyFailed := false
		for u := range want {
			if got[u] == nil {
				t.Fatalf("no result for %q", u)
			}
			anyFailed = anyFailed || got[u].Outcome == Failed
		}
		for u := range want {
			r := got[u]
			switch r.Outcome {
			case Succeeded:
				if allOrNone && (!is2xx || anyFailed) {
					t.Fatalf("HTTP %d, AllOrNone, another failed %v: %q succeeded", status, anyFailed, u)
				}
				if !evidenceOfSuccess(body, u) {
					t.Fatalf("HTTP %d: %q succeeded without evidence in %.200q", status, u, body)
				}
			case Unknown:
				if !is2xx && allOrNone {
					t.Fatalf("HTTP %d, AllOrNone: %q unknown", status, u)
				}
			}
			if r.Outcome != Succeeded && !explained(r.Messages) {
				t.Fatalf("HTTP %d, record %q %v without an error message: %+v", status, u, r.Outcome, r.Messages)
			}
			for _, m := range r.Messages {
				checkLine(t, "a message", m.Message)
				checkLine(t, "a code", m.Code)
			}
		}
	})
}

// evidenceOfSuccess reports, reading body with encoding/json alone, whether it could say that
// record u succeeded: it is empty, or has a "messages" array, or a result naming u (at the top
// or under one of the wrappers) has a success word or "success": true.
func evidenceOfSuccess(body []byte, u string) bool {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return true
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil || dec.More() {
		return false
	}
	var elems []any
	switch x := v.(type) {
	case []any:
		elems = x
	case map[string]any:
		for k, m := range x {
			if _, isList := m.([]any); isList && strings.EqualFold(k, "messages") {
				return true
			}
			if l, isList := m.([]any); isList && slices.Contains(listKeys, strings.ToLower(k)) {
				elems = append(elems, l...)
			}
		}
	}
	for _, e := range elems {
		o, _ := e.(map[string]any)
		for k, id := range o {
			if !strings.EqualFold(k, "userObjectId") || fmt.Sprint(id) != u && id != u {
				continue
			}
			for k, st := range o {
				w, _ := st.(string)
				if strings.EqualFold(k, "status") && slices.Contains(successWords, strings.ToLower(w)) ||
					strings.EqualFold(k, "success") && st == true {
					return true
				}
			}
		}
	}
	return false
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
// short line; otherwise every result is filed under its own userObjectId, a check is Present or
// Absent only when its result (the last one naming it, at the top or in a wrapper) says so by
// "exists", "count", "ids" or "id" and nothing in it says otherwise, an unknown one says why,
// an id given as a JSON string or number is that string or number's text, and every message is
// one short line.
func FuzzReadExistsAnswer(f *testing.F) {
	for _, s := range []string{
		`[{"userObjectId":"A","exists":true,"id":5000001001,"version":3},{"userObjectId":"B","exists":false}]`,
		`[{"userObjectId":"T-1","count":1,"ids":[7000000001]},{"userObjectId":"T-2","count":0,"ids":[]}]`,
		`{"items":[{"userObjectId":"A","exists":true,"id":"7"},{"userObjectId":"B","exists":false}]}`,
		`{"results":[{"userObjectId":"A","found":true}]}`,
		`[{"userObjectId":"A","exists":true,"count":0}]`,
		`[{"userObjectId":"A","exists":"yes"}]`,
		`[{"userObjectId":7,"exists":true,"id":"x\"y"},{"userObjectId":null,"id":null}]`,
		`[{"userObjectId":"A","messages":[{"code":"Core_X","message":"no such type","severity":"error"}]}]`,
		`[{"userObjectId":"\u0041","id":{"a":1}}]`,
		`[{"userObjectId":"A","version":1e99,"exists":true}]`,
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
		for k, r := range got {
			if k != r.UserObjectID {
				t.Fatalf("result %+v filed under %q", r, k)
			}
			switch r.Presence {
			case Present, Absent:
				if r.Why != "" || hasError(r.Messages) {
					t.Fatalf("%q is %v, and %q %+v", k, r.Presence, r.Why, r.Messages)
				}
				o := lastResult(t, body, k)
				if says := presenceSaid(o); says != r.Presence {
					t.Fatalf("%q read as %v; its result %v says %v", k, r.Presence, o, says)
				}
				if id, ok := field(o, "id"); ok && r.Presence == Present && isScalar(id) && r.ID != jsonText(t, id) {
					t.Fatalf("id %s read as %q", id, r.ID)
				}
			default:
				if r.Why == "" && !hasError(r.Messages) {
					t.Fatalf("%q is unknown without saying why", k)
				}
				checkLine(t, "why", r.Why)
			}
			for _, m := range r.Messages {
				checkLine(t, "a message", m.Message)
				checkLine(t, "a code", m.Code)
			}
		}
	})
}

// lastResult is the last result of an exists-check answer naming uoid, read with encoding/json.
func lastResult(t *testing.T, body []byte, uoid string) map[string]json.RawMessage {
	t.Helper()
	var list []map[string]json.RawMessage
	if json.Unmarshal(body, &list) != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			t.Fatalf("no error for an answer that is neither a list nor an object: %.100q", body)
		}
		for _, k := range listKeys {
			if raw, ok := member(obj, k); ok && json.Unmarshal(raw, &list) == nil {
				break
			}
		}
	}
	var last map[string]json.RawMessage
	for _, o := range list {
		if u, ok := field(o, "userObjectId"); ok && isScalar(u) && jsonText(t, u) == uoid {
			last = o
		}
	}
	if last == nil {
		t.Fatalf("no result names %q in %.100q", uoid, body)
	}
	return last
}

// presenceSaid is what a result's exists, count, ids and id say, when they all agree.
func presenceSaid(o map[string]json.RawMessage) Presence {
	var says []Presence
	if v, ok := field(o, "exists"); ok && v != nil && string(bytes.TrimSpace(v)) != "null" {
		says = append(says, map[string]Presence{"true": Present, "false": Absent}[string(bytes.TrimSpace(v))])
	}
	if v, ok := field(o, "count"); ok && v != nil && string(bytes.TrimSpace(v)) != "null" {
		says = append(says, map[bool]Presence{true: Absent, false: Present}[string(bytes.TrimSpace(v)) == "0"])
	}
	if v, ok := field(o, "ids"); ok && v != nil && string(bytes.TrimSpace(v)) != "null" {
		var ids []any
		if json.Unmarshal(v, &ids) != nil {
			return PresenceUnknown
		}
		says = append(says, map[bool]Presence{true: Absent, false: Present}[len(ids) == 0])
	}
	if v, ok := field(o, "id"); ok && v != nil && string(bytes.TrimSpace(v)) != "null" {
		says = append(says, Present)
	}
	if len(says) == 0 || slices.Contains(says, PresenceUnknown) || slices.Contains(says, Present) && slices.Contains(says, Absent) {
		return PresenceUnknown
	}
	return says[0]
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
