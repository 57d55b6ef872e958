package onkey

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/spec"
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

// ExistsResult is the answer to one check. The seeds name the result content type
// (entityexistscheckresultcollection) but not its shape: this one ({userObjectId, exists, id,
// version, messages}) is the sandbox's assumption.
type ExistsResult struct {
	UserObjectID string
	Exists       bool
	ID           string
	Version      int64
	Messages     []Notification
}

// ReadExistsAnswer reads the answer to exists checks, keyed by userObjectId. The server's
// messages are made one short line, as ReadImportAnswer does.
func ReadExistsAnswer(body []byte) (map[string]ExistsResult, error) {
	var raw []existsAnswer
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("the answer to exists checks is not a JSON array of results: %w", shortJSONError(err))
	}
	out := make(map[string]ExistsResult, len(raw))
	for _, r := range raw {
		tidy(r.Messages, body)
		res := ExistsResult{UserObjectID: unquote(r.UserObjectID), Exists: r.Exists, Version: r.Version, Messages: r.Messages}
		if len(r.ID) > 0 && string(r.ID) != "null" {
			res.ID = unquote(r.ID)
		}
		out[res.UserObjectID] = res
	}
	return out, nil
}

// existsAnswer is one result of an exists check as the answer has it. It is a named type so that a
// decoding error names it in a few words rather than spelling out the struct.
type existsAnswer struct {
	UserObjectID json.RawMessage `json:"userObjectId"`
	Exists       bool            `json:"exists"`
	ID           json.RawMessage `json:"id"`
	Version      int64           `json:"version"`
	Messages     []Notification  `json:"messages"`
}

// unquote is a JSON string's text, or a number's literal.
func unquote(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
