package onkey

import (
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
	Code         string
	Message      string
	Severity     string
	UserObjectID string // a JSON string's text or a number's literal
	ObjectID     any
	ObjectType   string
	Properties   []string
}

// UnmarshalJSON reads a message, with a userObjectId given as a string or a number.
func (n *Notification) UnmarshalJSON(b []byte) error {
	var raw struct {
		Code         string          `json:"code"`
		Message      string          `json:"message"`
		Severity     string          `json:"severity"`
		UserObjectID json.RawMessage `json:"userObjectId"`
		ObjectID     any             `json:"objectId"`
		ObjectType   string          `json:"objectType"`
		Properties   []string        `json:"properties"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*n = Notification{Code: raw.Code, Message: raw.Message, Severity: raw.Severity, ObjectID: raw.ObjectID,
		ObjectType: raw.ObjectType, Properties: raw.Properties}
	if isScalar(raw.UserObjectID) {
		n.UserObjectID = unquote(raw.UserObjectID)
	}
	return nil
}

// IsError reports whether the message is an error: any severity but a warning or a note (a
// missing or unknown severity counts as an error, so that it never lets a record pass).
func (n Notification) IsError() bool {
	switch strings.ToLower(strings.TrimSpace(n.Severity)) {
	case "warning", "warn", "information", "info", "informational", "notice", "debug":
		return false
	}
	return true
}

// Outcome is what an answer says of one record. The zero value is Unknown: nothing claims
// success until an answer does.
type Outcome int

const (
	Unknown   Outcome = iota // the answer does not say, in a shape bulkload knows
	Succeeded                // the answer says the record was applied
	Failed                   // the answer says it was not
)

func (o Outcome) String() string {
	switch o {
	case Succeeded:
		return "succeeded"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Result is the outcome of one record of an import batch. A Failed or Unknown result has an
// error message that says why, in one short line; an Unknown one's (code "unknown") quotes the
// answer.
type Result struct {
	Outcome  Outcome
	ID       string // the server's id for the record, when the answer gives it
	Version  int64
	Messages []Notification
}

// ReadImportAnswer interprets the answer to an import batch of the records keyed by uoids, on
// positive evidence only (the success body of a bulk request is not documented). A record
// succeeded only when a 2xx answer says so in a shape bulkload knows:
//
//   - a per-record result naming it ({userObjectId, id|objectId, version|objectVersion, status,
//     success, messages}, as a JSON array or in an items/results/data/records/value wrapper)
//     with a success status word (Succeeded, Success, Created, Updated, Deleted, Ok, ...) or
//     "success": true, and no error message;
//   - a notification body that has a "messages" array, lists no records and has no error naming
//     it or naming no record;
//   - an empty body (204 or 200): all succeeded.
//
// A 202 Accepted says nothing of the records yet: they are Unknown (an async import is followed
// by polling its task instead).
//
// A record failed when the answer says so: a failure status word (Failed, Error, ...),
// "success": false, or an error message naming it. Anything else leaves it Unknown: an answer
// of an unknown shape, an unknown status word, a result without a status, success and failure
// both, or a record a listing answer does not mention.
//
// A non-2xx answer, or one with an error naming no record, refuses the request: the records it
// names with an error fail with their messages. With allOrNone (mode=AllOrNone: one
// transaction) every other record fails too, as does every record once one failed. In
// PerRecord mode the other records fail with the request's messages (or the HTTP status) when
// the answer names no record, and are Unknown when it names some: each record is its own
// transaction, and those not named may have been applied.
func ReadImportAnswer(status int, body []byte, uoids []string, allOrNone bool) map[string]*Result {
	a := decodeAnswer(body)
	for i := range a.results {
		tidy(a.results[i].Messages, body)
	}
	tidy(a.notes, body)
	is2xx := status >= 200 && status < 300
	ev := make(map[string]*evidence, len(uoids))
	for _, u := range uoids {
		ev[u] = &evidence{}
	}
	var general []Notification
	for _, n := range a.notes {
		if e, ok := ev[n.UserObjectID]; ok && n.UserObjectID != "" {
			e.msgs = append(e.msgs, n)
			e.failure = e.failure || n.IsError()
		} else if n.IsError() {
			general = append(general, n)
		}
	}
	for _, r := range a.results {
		e, ok := ev[r.UserObjectID]
		if !ok {
			continue
		}
		e.id, e.version = r.ID, r.Version
		e.msgs = append(e.msgs, r.Messages...)
		success, failure, why := r.verdict()
		e.success, e.failure = e.success || success, e.failure || failure
		if why != "" && e.why == "" {
			e.why = why
		}
		if failure && !hasError(r.Messages) {
			e.msgs = append(e.msgs, r.failure())
		}
	}
	refused := !is2xx || len(general) > 0
	if a.problem != "" && !is2xx {
		general = []Notification{{Code: "HTTP" + strconv.Itoa(status), Message: fmt.Sprintf("HTTP %d: %s", status, targets.Snippet(body)), Severity: "error"}}
	}
	if refused && len(general) == 0 {
		msg := fmt.Sprintf("the request was refused (HTTP %d)", status)
		if !a.listed && !a.hasNote && !a.empty && a.problem == "" {
			msg += ": " + targets.Snippet(body)
		}
		general = []Notification{{Code: "HTTP" + strconv.Itoa(status), Message: msg, Severity: "error"}}
	}
	namedFailures := 0
	for _, u := range uoids {
		if e := ev[u]; e.failure {
			namedFailures++
		}
	}
	out := make(map[string]*Result, len(uoids))
	for _, u := range uoids {
		e := ev[u]
		res := &Result{ID: e.id, Version: e.version, Messages: e.msgs}
		out[u] = res
		unknown := func(why string) {
			res.Outcome = Unknown
			res.Messages = append(res.Messages, Notification{Code: "unknown", UserObjectID: u,
				Message: fmt.Sprintf("HTTP %d, but %s: %s", status, why, targets.Snippet(body))})
		}
		switch {
		case status == 202:
			unknown("the request was only accepted (202 Accepted), not applied yet")
		case a.problem != "" && is2xx:
			res.Outcome = Unknown
			res.Messages = append(res.Messages, Notification{Code: "unknown", UserObjectID: u,
				Message: fmt.Sprintf("HTTP %d, but %s", status, a.problem)})
		case e.success && e.failure:
			unknown("the answer says both that it succeeded and that it failed")
		case e.failure:
			res.Outcome = Failed
		case refused && (allOrNone || namedFailures == 0):
			res.Outcome = Failed
			res.Messages = append(res.Messages, general...)
		case refused && e.success:
			res.Outcome = Succeeded // PerRecord: its own transaction, which the answer says succeeded
		case refused:
			unknown(fmt.Sprintf("the request was partly refused: the answer names %d other record(s) with an error and not this one, which may have been applied", namedFailures))
		case e.why != "":
			unknown(e.why)
		case e.success, a.empty:
			res.Outcome = Succeeded
		case a.listed:
			unknown(fmt.Sprintf("the answer lists %d record result(s) and not this one", len(a.results)))
		case a.hasNote:
			res.Outcome = Succeeded // a notification with no error naming it
		default:
			unknown("the answer does not mention it")
		}
	}
	if allOrNone && namedFailures > 0 {
		rolledBack := Notification{Code: "RolledBack", Severity: "error",
			Message: "not applied: another record of the request failed and mode=AllOrNone rolls back the whole request"}
		for _, u := range uoids {
			if res := out[u]; res.Outcome != Failed {
				res.Outcome = Failed
				res.Messages = append(withoutUnknown(res.Messages), rolledBack)
			}
		}
	}
	return out
}

// evidence is what an answer says of one record.
type evidence struct {
	success, failure bool
	why              string // why a result naming it says neither
	id               string
	version          int64
	msgs             []Notification
}

// withoutUnknown is ms without the messages saying the outcome was unknown.
func withoutUnknown(ms []Notification) []Notification {
	var out []Notification
	for _, m := range ms {
		if m.Code != "unknown" {
			out = append(out, m)
		}
	}
	return out
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

// hasError reports whether ms holds an error message.
func hasError(ms []Notification) bool {
	for _, m := range ms {
		if m.IsError() {
			return true
		}
	}
	return false
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
