package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Content types of exists checks (seed 003; the result type is named there, its shape is not).
const (
	contentExists       = "application/vnd.onkey.entityexistscheckcollection+json"
	contentExistsResult = "application/vnd.onkey.entityexistscheckresultcollection+json"
)

// existsResult is the answer for one check (the shape is the sandbox's assumption).
type existsResult struct {
	UserObjectID json.RawMessage `json:"userObjectId"`
	EntityType   string          `json:"entityType"`
	Exists       bool            `json:"exists"`
	ID           *int64          `json:"id,omitempty"`      // the match (the lowest id when several)
	Version      *int64          `json:"version,omitempty"` // its version
	Matches      int             `json:"matches"`           // how many records match
	Messages     []message       `json:"messages"`          // why the check could not be made
}

// handleExists serves /modules/system/existschecks (PUT as seed 003, or POST as seed 004): an
// array of {checkType: Code|Custom, entityType, userObjectId, properties}. A Code check's
// properties hold {"Code": value}; a Custom check's hold lookup keys as in the Custom converter
// ("RegularAsset->CostCentre_Code": "095"). The answer is 200 with one existsResult per check in
// body order; a check that cannot be made (unknown type, bad key) has exists false and messages.
func (s *Server) handleExists(w http.ResponseWriter, r *http.Request, entry *Request) {
	if !allowMethods(w, r, http.MethodPut, http.MethodPost) || !requireContentType(w, r, contentExists) {
		return
	}
	items, ok := s.readArray(w, r)
	if !ok {
		return
	}
	ops := make([]*op, len(items)) // only for the userObjectId checks
	uoids := make([]string, len(items))
	for i, item := range items {
		uoid, key, ok := userObjectID(item)
		if !ok {
			writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, fmt.Sprintf("Element %d: userObjectId must be a non-empty string or a number.", i)))
			return
		}
		ops[i], uoids[i] = &op{uoid: uoid, key: key}, key
	}
	s.noteEntry(entry, func(e *Request) { e.UserObjectIDs = uoids })
	if !checkUnique(w, ops) {
		return
	}
	results := make([]existsResult, len(items))
	s.mu.Lock()
	for i, item := range items {
		results[i] = s.check(ops[i].uoid, item)
	}
	s.mu.Unlock()
	s.writeExists(w, results)
}

// check makes one exists check; the caller holds s.mu.
func (s *Server) check(uoid json.RawMessage, item map[string]any) existsResult {
	et, _ := field(item, "entityType")
	name, _ := et.(string)
	res := existsResult{UserObjectID: uoid, EntityType: name, Messages: []message{}}
	fail := func(m message) existsResult {
		m.UserObjectID, m.ObjectType = uoid, name
		res.Messages = append(res.Messages, m)
		return res
	}
	em := s.st.m.entity(name)
	if em == nil {
		return fail(errMsg(CodeUnknownEntity, fmt.Sprintf("The entity type %q is not known.", name)))
	}
	res.EntityType = em.name
	ct, _ := field(item, "checkType")
	p, _ := field(item, "properties")
	props, _ := p.(map[string]any)
	var conv map[string]any
	switch typ, _ := ct.(string); strings.ToLower(typ) {
	case "code":
		code, ok := field(props, "code")
		if !ok || len(props) != 1 {
			return fail(errMsg(CodeInvalidRequest, `A Code check needs properties {"Code": value}.`))
		}
		conv = map[string]any{"code": code}
	case "custom":
		conv = map[string]any{"type": "Custom", "properties": props}
	default:
		return fail(errMsg(CodeInvalidRequest, fmt.Sprintf("The checkType %v is not Code or Custom.", ct)))
	}
	l, err := parseLookup(em, conv)
	if err != nil {
		return fail(notConverted(em.path(nil), err))
	}
	ids := s.st.find(em, l)
	res.Matches = len(ids)
	if len(ids) > 0 {
		r := s.st.recs[ids[0]]
		id, version := r.id, r.version
		res.Exists, res.ID, res.Version = true, &id, &version
	}
	return res
}
