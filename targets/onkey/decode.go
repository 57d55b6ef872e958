package onkey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/targets"
)

// Notification is one message of an On Key notification body (seed 003): a problem, or a note,
// about the request or, when UserObjectID is set, about one record of it.
type Notification struct {
	Code         string   `json:"code"`
	Message      string   `json:"message"`
	Severity     string   `json:"severity"`
	UserObjectID string   `json:"userObjectId"`
	ObjectID     any      `json:"objectId"`
	ObjectType   string   `json:"objectType"`
	Properties   []string `json:"properties"`
}

// IsError reports whether the message is an error (a missing severity counts as one).
func (n Notification) IsError() bool {
	return n.Severity == "" || strings.EqualFold(n.Severity, "error")
}

// Result is the outcome of one record of an import batch.
type Result struct {
	OK       bool
	ID       string // the server's id for the record, when the answer gives it
	Version  int64
	Messages []Notification
}

// ReadImportAnswer interprets the answer to an import batch of the records keyed by uoids.
// The success body of a bulk request is not documented (API-FACTS.md), so it is read tolerantly:
//
//   - a JSON array of per-record results ({userObjectId, id, version, status, messages}): each
//     named record's outcome; a record with error messages or a status such as Failed failed;
//   - a notification body ({"messages": [...]}): records named by an error message failed, the
//     others succeeded; an error naming no record fails them all;
//   - an empty body: all succeeded.
//
// A non-2xx answer fails every record: those named by a message get theirs, the others the
// request's general messages (or the HTTP status). With allOrNone (mode=AllOrNone: one
// transaction) one failed record fails them all. A 2xx body that is none of the above is an
// error: the records' outcome is then unknown. Every message, the server's own and those quoting
// the body, is one short line (targets.Snippet), and a failed record has an error message that
// says something.
func ReadImportAnswer(status int, body []byte, uoids []string, allOrNone bool) (map[string]*Result, error) {
	out := make(map[string]*Result, len(uoids))
	for _, u := range uoids {
		out[u] = &Result{OK: true}
	}
	results, notes, err := decodeAnswer(body)
	if err != nil {
		if status >= 200 && status < 300 {
			return nil, err
		}
		notes = []Notification{{Code: "HTTP" + strconv.Itoa(status), Message: fmt.Sprintf("HTTP %d: %s", status, targets.Snippet(body)), Severity: "error"}}
	}
	for _, r := range results {
		tidy(r.Messages, body)
	}
	tidy(notes, body)
	for _, r := range results {
		res, ok := out[r.UserObjectID]
		if !ok {
			continue
		}
		res.ID, res.Version = r.id(), r.Version
		res.Messages = append(res.Messages, r.Messages...)
		if r.failed() {
			res.OK = false
			if !hasError(r.Messages) {
				res.Messages = append(res.Messages, r.failure())
			}
		}
	}
	var general []Notification
	for _, n := range notes {
		if res, ok := out[n.UserObjectID]; ok && n.UserObjectID != "" {
			res.Messages = append(res.Messages, n)
			if n.IsError() {
				res.OK = false
			}
		} else if n.IsError() {
			general = append(general, n)
		}
	}
	if allOrNone && len(general) == 0 {
		for _, res := range out {
			if !res.OK {
				general = []Notification{{Code: "RolledBack", Severity: "error",
					Message: "not applied: another record of the request failed and mode=AllOrNone rolls back the whole request"}}
				break
			}
		}
	}
	if status < 200 || status >= 300 || len(general) > 0 {
		if len(general) == 0 {
			msg := fmt.Sprintf("the request was refused (HTTP %d)", status)
			if len(results) == 0 && len(notes) == 0 && len(bytes.TrimSpace(body)) > 0 {
				msg += ": " + targets.Snippet(body) // JSON, but nothing it says was understood
			}
			general = []Notification{{Code: "HTTP" + strconv.Itoa(status), Message: msg, Severity: "error"}}
		}
		for _, res := range out {
			if res.OK {
				res.OK = false
				res.Messages = append(res.Messages, general...)
			}
		}
	}
	return out, nil
}

// tidy makes the code and message of each of the server's messages one short line
// (targets.Snippet), and gives an error without a message one that quotes the answer, so that a
// failed record always says what came back.
func tidy(ms []Notification, body []byte) {
	for i := range ms {
		m := &ms[i]
		if strings.TrimSpace(m.Code) != "" {
			m.Code = targets.Snippet([]byte(m.Code))
		}
		switch {
		case strings.TrimSpace(m.Message) != "":
			m.Message = targets.Snippet([]byte(m.Message))
		case m.IsError():
			m.Message = "an error without a message: " + targets.Snippet(body)
		}
	}
}

// recordResult is one element of a per-record result array, with the spellings seen or likely.
type recordResult struct {
	UserObjectID string          `json:"userObjectId"`
	ID           json.RawMessage `json:"id"`
	ObjectID     json.RawMessage `json:"objectId"`
	Version      int64           `json:"version"`
	Status       string          `json:"status"`
	Success      *bool           `json:"success"`
	Messages     []Notification  `json:"messages"`
}

func (r recordResult) id() string {
	for _, raw := range []json.RawMessage{r.ID, r.ObjectID} {
		s := strings.Trim(string(bytes.TrimSpace(raw)), `"`)
		if s != "" && s != "null" {
			return s
		}
	}
	return ""
}

// failure is the message of a failed record result that carries no error message of its own.
func (r recordResult) failure() Notification {
	why := `"success": false`
	if r.Success == nil || *r.Success {
		why = `"status": ` + strconv.Quote(r.Status) // one of the few words failed accepts
	}
	return Notification{Code: "Failed", Severity: "error", UserObjectID: r.UserObjectID,
		Message: "the answer marks the record as failed (" + why + ") without saying why"}
}

// hasError reports whether ms holds an error message.
func hasError(ms []Notification) bool {
	for _, m := range ms {
		if m.IsError() {
			return true
		}
	}
	return false
}

func (r recordResult) failed() bool {
	if r.Success != nil && !*r.Success {
		return true
	}
	switch strings.ToLower(r.Status) {
	case "failed", "failure", "error", "rolledback", "notprocessed":
		return true
	}
	return hasError(r.Messages)
}

// decodeAnswer reads a per-record result array or a notification body.
func decodeAnswer(body []byte) ([]recordResult, []Notification, error) {
	b := bytes.TrimSpace(body)
	switch {
	case len(b) == 0:
		return nil, nil, nil
	case b[0] == '[':
		var rs []recordResult
		if err := json.Unmarshal(b, &rs); err != nil {
			return nil, nil, fmt.Errorf("the answer is not a list of record results: %v: %s", shortJSONError(err), targets.Snippet(b))
		}
		return rs, nil, nil
	case b[0] == '{':
		var n struct {
			Messages []Notification `json:"messages"`
			Results  []recordResult `json:"results"`
		}
		if err := json.Unmarshal(b, &n); err != nil {
			return nil, nil, fmt.Errorf("the answer is not a notification: %v: %s", shortJSONError(err), targets.Snippet(b))
		}
		return n.Results, n.Messages, nil
	}
	if json.Valid(b) {
		return nil, nil, fmt.Errorf("the answer is neither a list of record results nor a notification: %s", targets.Snippet(b))
	}
	return nil, nil, fmt.Errorf("the answer is not JSON: %s", targets.Snippet(b))
}

// shortJSONError is err with the value of a type error cut short, so that a message quoting it
// stays one short line: encoding/json quotes a number in full ("number 999…"), whatever its length.
func shortJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && len(te.Value) > 40 {
		te.Value = te.Value[:40] + "…" // "number " and a literal: ASCII
	}
	return err
}
