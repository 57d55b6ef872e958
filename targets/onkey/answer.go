package onkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/targets"
)

// listKeys are the members of a JSON object answer that may hold its list of per-record results
// (compared without case): the documents do not name one, and these are the usual wrappers.
var listKeys = []string{"items", "results", "data", "records", "value"}

// answer is an import answer as bulkload reads it: a list of per-record results, a notification,
// both (an object with a list and a messages array), nothing (an empty body), or none of these
// (problem says why).
type answer struct {
	empty   bool
	listed  bool // the answer lists per-record results (an empty list too)
	results []recordResult
	notes   []Notification // the notification's messages
	hasNote bool           // the answer has a messages array (an empty one too)
	problem string         // why the answer could not be read; then nothing else holds
}

// recordResult is one per-record result of a listing answer, with the spellings seen or likely:
// userObjectId (a string or a number), id or objectId, version or objectVersion, a status word
// or a success boolean, and messages. problem says why the element could not be read.
type recordResult struct {
	UserObjectID string
	ID           string
	Version      int64
	Status       *string
	Success      *bool
	Messages     []Notification
	problem      string
}

// decodeAnswer reads the body of an import answer.
func decodeAnswer(body []byte) answer {
	b := bytes.TrimSpace(body)
	switch {
	case len(b) == 0:
		return answer{empty: true}
	case b[0] == '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(b, &elems); err != nil {
			return answer{problem: fmt.Sprintf("the answer is not a list of record results: %v: %s", shortJSONError(err), targets.Snippet(b))}
		}
		return answer{listed: true, results: readResults(elems)}
	case b[0] == '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return answer{problem: fmt.Sprintf("the answer is not a notification: %v: %s", shortJSONError(err), targets.Snippet(b))}
		}
		return decodeObject(obj, b)
	}
	if json.Valid(b) {
		return answer{problem: "the answer is neither a list of record results nor a notification: " + targets.Snippet(b)}
	}
	return answer{problem: "the answer is not JSON: " + targets.Snippet(b)}
}

// decodeObject reads an object answer: its messages array and its list of results (listKeys).
func decodeObject(obj map[string]json.RawMessage, b []byte) answer {
	var a answer
	if raw, ok := member(obj, "messages"); ok {
		if err := json.Unmarshal(raw, &a.notes); err != nil || !isArray(raw) {
			return answer{problem: `the answer's "messages" is not a list of messages: ` + targets.Snippet(b)}
		}
		a.hasNote = true
	}
	for _, k := range listKeys {
		raw, ok := member(obj, k)
		if !ok || !isArray(raw) {
			continue
		}
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) != nil {
			continue
		}
		a.listed, a.results = true, readResults(elems)
		break
	}
	if !a.listed && !a.hasNote {
		return answer{problem: `the answer is a JSON object with neither a "messages" array nor a list of record results: ` + targets.Snippet(b)}
	}
	return a
}

// readResults reads the elements of a list of per-record results; an element that cannot be
// read names no record, or names one with a problem.
func readResults(elems []json.RawMessage) []recordResult {
	out := make([]recordResult, 0, len(elems))
	for _, e := range elems {
		var obj map[string]json.RawMessage
		if json.Unmarshal(e, &obj) != nil || obj == nil {
			continue // names no record
		}
		raw, ok := member(obj, "userObjectId")
		if !ok || !isScalar(raw) {
			continue
		}
		r := recordResult{UserObjectID: unquote(raw)}
		if id, ok := memberAny(obj, "id", "objectId"); ok {
			r.ID = idText(id)
		}
		if v, ok := memberAny(obj, "version", "objectVersion"); ok && string(v) != "null" {
			if n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64); err == nil {
				r.Version = n
			}
		}
		if s, ok := member(obj, "status"); ok && string(s) != "null" {
			var w string
			if json.Unmarshal(s, &w) != nil {
				r.problem = "its status is not a word: " + word(string(s))
			}
			r.Status = &w
		}
		if s, ok := member(obj, "success"); ok && string(s) != "null" {
			var yes bool
			if json.Unmarshal(s, &yes) != nil {
				r.problem = `its "success" is not true or false: ` + word(string(s))
			}
			r.Success = &yes
		}
		if m, ok := member(obj, "messages"); ok && string(m) != "null" {
			if json.Unmarshal(m, &r.Messages) != nil {
				r.Messages, r.problem = nil, "its messages are not a list of messages"
			}
		}
		out = append(out, r)
	}
	return out
}

// successWords and failureWords are the per-record status words bulkload knows, lower case. Any
// other word leaves the record unknown.
var (
	successWords = []string{"succeeded", "success", "successful", "ok", "created", "inserted", "updated", "deleted", "merged"}
	failureWords = []string{"failed", "failure", "error", "rolledback", "notprocessed", "rejected"}
)

// verdict is what a per-record result says of its record: success, failure, or neither (why).
func (r recordResult) verdict() (success, failure bool, why string) {
	if r.problem != "" {
		return false, false, r.problem
	}
	failure = hasError(r.Messages)
	if r.Success != nil {
		success, failure = *r.Success, failure || !*r.Success
	}
	if r.Status != nil {
		w := strings.ToLower(strings.TrimSpace(*r.Status))
		switch {
		case contains(successWords, w):
			success = true
		case contains(failureWords, w):
			failure = true
		default:
			return false, false, fmt.Sprintf("its status %q is not one bulkload knows", word(*r.Status))
		}
	}
	if !success && !failure {
		why = "the answer names it without a status"
	}
	return success, failure, why
}

// failure is the message of a failed record result that carries no error message of its own.
func (r recordResult) failure() Notification {
	why := `"success": false`
	if r.Status != nil {
		why = `"status": ` + strconv.Quote(word(*r.Status))
	}
	return Notification{Code: "Failed", Severity: "error", UserObjectID: r.UserObjectID,
		Message: "the answer marks the record as failed (" + why + ") without saying why"}
}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// member returns obj's member named key, compared without case.
func member(obj map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// memberAny is the first of keys obj has (member).
func memberAny(obj map[string]json.RawMessage, keys ...string) (json.RawMessage, bool) {
	for _, k := range keys {
		if v, ok := member(obj, k); ok {
			return v, true
		}
	}
	return nil, false
}

// isArray reports whether raw is a JSON array.
func isArray(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '['
}

// isScalar reports whether raw is a JSON string or number.
func isScalar(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && (raw[0] == '"' || raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// word is s made one line of at most 40 characters, to quote a value inside a message that
// quotes the answer too.
func word(s string) string {
	r := []rune(targets.Snippet([]byte(s)))
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return string(r)
}
