package onkey

import (
	"encoding/json"
	"fmt"
	"net/url"
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

// ExistsCheck asks whether an entity with the given Code exists; UserObjectID keys its answer.
type ExistsCheck struct {
	CheckType    string         `json:"checkType"` // Code
	EntityType   string         `json:"entityType"`
	UserObjectID string         `json:"userObjectId"`
	Properties   map[string]any `json:"properties"`
}

// CodeCheck is the check for the entity of type entityType whose Code is code.
func CodeCheck(uoid, entityType string, code any) ExistsCheck {
	return ExistsCheck{CheckType: "Code", EntityType: entityType, UserObjectID: uoid, Properties: map[string]any{"Code": code}}
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

// ReadExistsAnswer reads the answer to exists checks, keyed by userObjectId.
func ReadExistsAnswer(body []byte) (map[string]ExistsResult, error) {
	var raw []struct {
		UserObjectID json.RawMessage `json:"userObjectId"`
		Exists       bool            `json:"exists"`
		ID           json.RawMessage `json:"id"`
		Version      int64           `json:"version"`
		Messages     []Notification  `json:"messages"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("the answer to exists checks is not a JSON array of results: %w", err)
	}
	out := make(map[string]ExistsResult, len(raw))
	for _, r := range raw {
		res := ExistsResult{UserObjectID: unquote(r.UserObjectID), Exists: r.Exists, Version: r.Version, Messages: r.Messages}
		if len(r.ID) > 0 && string(r.ID) != "null" {
			res.ID = unquote(r.ID)
		}
		out[res.UserObjectID] = res
	}
	return out, nil
}

// unquote is a JSON string's text, or a number's literal.
func unquote(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
