package onkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
)

// ExistsContentType is the content type of an exists-check collection (seed 003).
const ExistsContentType = "application/vnd.onkey.entityexistscheckcollection+json"

// ExistsURL is where exists checks are sent:
// {url}/api/tenants/{tenant}/{connection}/modules/system/existschecks. The seeds name the content
// types but not the path; this one is the sandbox's assumption (sandbox/README.md).
func ExistsURL(t spec.Target) string {
	return strings.TrimRight(t.URL, "/") + "/api/tenants/" + url.PathEscape(t.Tenant) + "/" +
		url.PathEscape(t.Connection) + "/modules/system/existschecks"
}

// ExistsCheck asks whether an entity matching Properties exists: {"Code": value} for a Code check,
// lookup keys as in a Custom converter for a Custom one. UserObjectID keys its answer.
type ExistsCheck struct {
	CheckType    string         `json:"checkType"` // Code or Custom
	EntityType   string         `json:"entityType"`
	UserObjectID string         `json:"userObjectId"`
	Properties   map[string]any `json:"properties"`
}

// IdentityCheck is the check that finds the record an import object creates or names, keyed by
// uoid: by its id converter when it has one (a Code lookup, or a Custom one with its properties),
// else by its Code property. ok is false when the object has neither.
func IdentityCheck(uoid string, body []byte) (c ExistsCheck, ok bool) {
	var obj struct {
		EntityType string         `json:"entityType"`
		ID         any            `json:"id"`
		Properties map[string]any `json:"properties"`
	}
	if json.Unmarshal(body, &obj) != nil || obj.EntityType == "" {
		return c, false
	}
	c = ExistsCheck{EntityType: obj.EntityType, UserObjectID: uoid}
	if conv, isConv := obj.ID.(map[string]any); isConv {
		if code, has := fold(conv, "code"); has && code != nil && code != "" {
			c.CheckType, c.Properties = "Code", map[string]any{"Code": code}
			return c, true
		}
		typ, _ := fold(conv, "type")
		props, _ := fold(conv, "properties")
		if p, isMap := props.(map[string]any); isMap && len(p) > 0 && strings.EqualFold(fmt.Sprint(typ), "Custom") {
			c.CheckType, c.Properties = "Custom", p
			return c, true
		}
	}
	if code, has := fold(obj.Properties, "code"); has && code != nil && code != "" {
		c.CheckType, c.Properties = "Code", map[string]any{"Code": code}
		return c, true
	}
	return c, false
}

// Key says what a check looks for, for messages: "Code FAC", "SiteType->Code WHOUSE".
func (c ExistsCheck) Key() string {
	var parts []string
	for k, v := range c.Properties {
		parts = append(parts, fmt.Sprintf("%s %v", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// fold returns m's value under key, compared without case.
func fold(m map[string]any, key string) (any, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// Presence is what an exists check found. The zero value is PresenceUnknown: nothing is
// present or absent until an answer says so.
type Presence int

const (
	PresenceUnknown Presence = iota // the answer does not say, in a shape bulkload knows
	Present                         // the target has a matching record
	Absent                          // it has none
)

func (p Presence) String() string {
	switch p {
	case Present:
		return "present"
	case Absent:
		return "absent"
	}
	return "unknown"
}

// ExistsResult is the answer to one check. The seeds name the result content type
// (entityexistscheckresultcollection) but not its shape, so it is read on positive evidence
// (ReadExistsAnswer). Why says, quoting the answer, why the presence is unknown.
type ExistsResult struct {
	UserObjectID string
	Presence     Presence
	ID           string // the match's id, when the answer gives one
	Version      int64
	Messages     []Notification
	Why          string
}

// ReadExistsAnswer reads the answer to exists checks, keyed by userObjectId: a JSON array of
// results, or an object holding one under items, results, data, records or value. A result is
// Present or Absent only on positive evidence, and all of it must agree: "exists" (a boolean),
// "count" (a number), "ids" (a list: its first element is the id), or an "id" (present when not
// null). A result with an error message, or with none of these, or whose evidence disagrees, is
// PresenceUnknown with Why. An answer of any other shape is an error. The server's messages
// are made one short line, as ReadImportAnswer does.
func ReadExistsAnswer(body []byte) (map[string]ExistsResult, error) {
	elems, err := existsList(body)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ExistsResult, len(elems))
	for _, e := range elems {
		var obj map[string]json.RawMessage
		if json.Unmarshal(e, &obj) != nil || obj == nil {
			continue // names no check
		}
		raw, ok := member(obj, "userObjectId")
		if !ok || !isScalar(raw) {
			continue
		}
		res := readExistsResult(obj, e)
		res.UserObjectID = unquote(raw)
		tidy(res.Messages, body)
		if hasError(res.Messages) && res.Why == "" {
			res.Presence, res.Why = PresenceUnknown, "the check answered with an error"
		}
		out[res.UserObjectID] = res
	}
	return out, nil
}

// existsList is the list of results of an exists-check answer.
func existsList(body []byte) ([]json.RawMessage, error) {
	b := bytes.TrimSpace(body)
	var elems []json.RawMessage
	if len(b) > 0 && b[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err == nil {
			for _, k := range listKeys {
				if raw, ok := member(obj, k); ok && isArray(raw) && json.Unmarshal(raw, &elems) == nil {
					return elems, nil
				}
			}
		}
		return nil, fmt.Errorf("the answer to exists checks is a JSON object without a list of results: %s", targets.Snippet(b))
	}
	if err := json.Unmarshal(b, &elems); err != nil {
		return nil, fmt.Errorf("the answer to exists checks is not a JSON array of results: %v: %s", shortJSONError(err), targets.Snippet(b))
	}
	return elems, nil
}

// readExistsResult reads the evidence of one result (raw is its JSON, for Why).
func readExistsResult(obj map[string]json.RawMessage, raw json.RawMessage) ExistsResult {
	var res ExistsResult
	var says []Presence
	unreadable := ""
	if v, ok := member(obj, "exists"); ok && string(v) != "null" {
		var yes bool
		if json.Unmarshal(v, &yes) != nil {
			unreadable = `"exists" is not true or false`
		}
		says = append(says, presence(yes))
	}
	if v, ok := member(obj, "count"); ok && string(v) != "null" {
		n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
		if err != nil || n < 0 {
			unreadable = `"count" is not a count`
		}
		says = append(says, presence(n > 0))
	}
	if v, ok := member(obj, "ids"); ok && string(v) != "null" {
		var ids []json.RawMessage
		if json.Unmarshal(v, &ids) != nil {
			unreadable = `"ids" is not a list`
		}
		says = append(says, presence(len(ids) > 0))
		if len(ids) > 0 {
			res.ID = idText(ids[0])
		}
	}
	if v, ok := member(obj, "id"); ok && string(bytes.TrimSpace(v)) != "null" {
		if !isScalar(v) {
			unreadable = `"id" is not a string or a number`
		}
		says = append(says, Present)
		res.ID = idText(v)
	}
	if v, ok := memberAny(obj, "version", "objectVersion"); ok {
		res.Version, _ = strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64)
	}
	if v, ok := member(obj, "messages"); ok && string(v) != "null" {
		if json.Unmarshal(v, &res.Messages) != nil {
			res.Messages, unreadable = nil, "its messages are not a list of messages"
		}
	}
	switch {
	case unreadable != "":
		res.Why = unreadable + ": " + targets.Snippet(raw)
	case len(says) == 0:
		res.Why = `the result says nothing bulkload knows ("exists", "count", "ids" or "id"): ` + targets.Snippet(raw)
	case slices.Contains(says, Present) && slices.Contains(says, Absent):
		res.Why = "the result says both that the record exists and that it does not: " + targets.Snippet(raw)
	default:
		res.Presence = says[0]
	}
	if res.Presence != Present {
		res.ID, res.Version = "", 0
	}
	return res
}

func presence(exists bool) Presence {
	if exists {
		return Present
	}
	return Absent
}

// unquote is a JSON string's text, or a number's literal.
func unquote(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}
