package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
)

// op is one record of a bulk request (import, batch create, patch or delete), decoded.
type op struct {
	uoid    json.RawMessage // the userObjectId as sent; nil for patch/delete collections
	key     string          // the userObjectId's text ("" when none)
	entity  string          // entity type as sent
	action  string          // as sent: Create, Insert, Update, Delete, Merge (any case)
	id      any             // decoded id: a literal (json.Number, string) or a converter object
	hasID   bool            // the id key was present
	version *int64          // patch/delete collections: the version the client holds
	props   map[string]any  // decoded property values; nil values clear
	group   int64           // groupOrder (0 when absent)
}

// result is one record's outcome, an element of the per-record answer array (the shape is the
// sandbox's assumption: the success body of bulk requests is undocumented).
type result struct {
	UserObjectID json.RawMessage `json:"userObjectId,omitempty"`
	ID           *int64          `json:"id,omitempty"`
	Version      *int64          `json:"version,omitempty"`
	Status       string          `json:"status"` // Succeeded or Failed
	Messages     []message       `json:"messages"`
}

const (
	statusSucceeded = "Succeeded"
	statusFailed    = "Failed"
)

func (r *result) failed() bool { return r.Status != statusSucceeded }

// normalizeAction maps an import action to create, update, delete or merge ("" if unknown).
// Insert is accepted for Create (the live docs' prose says Insert).
func normalizeAction(a string) string {
	switch strings.ToLower(a) {
	case "create", "insert":
		return "create"
	case "update", "delete", "merge":
		return strings.ToLower(a)
	}
	return ""
}

// apply applies o within t: every problem of the record is reported (not just the first), and a
// record with any problem changes nothing.
func (t *tx) apply(o *op) result {
	st := t.st
	res := result{UserObjectID: o.uoid, Status: statusFailed, Messages: []message{}}
	objectType := o.entity
	// fail reports the record's problems; objectID, when known, is the id of the record
	// concerned (it also keys the result of a patch or delete, which has no userObjectId).
	fail := func(objectID int64, ms ...message) result {
		if objectID != 0 {
			res.ID = &objectID
		}
		for i := range ms {
			ms[i].UserObjectID = o.uoid
			if ms[i].ObjectType == "" {
				ms[i].ObjectType = objectType
			}
			if objectID != 0 {
				ms[i].ObjectID = fmt.Sprint(objectID)
			}
		}
		res.Messages = ms
		return res
	}
	em := st.m.entity(o.entity)
	if em == nil {
		return fail(0, errMsg(CodeUnknownEntity, fmt.Sprintf("The entity type %q is not known.", o.entity)))
	}
	objectType = em.name
	action := normalizeAction(o.action)
	if action == "" {
		return fail(0, errMsg(CodeInvalidAction, fmt.Sprintf("The action %q is not one of Create, Insert, Update, Delete, Merge.", o.action)))
	}
	var cur *storedRecord
	if action != "create" {
		idPath := em.path(nil)
		if !o.hasID || o.id == nil {
			return fail(0, errMsg(CodeNotNull, "{"+idPath+"} must not be empty.", idPath))
		}
		var msg *message
		cur, msg = t.resolveTarget(em, o.id)
		switch {
		case msg != nil:
			return fail(0, *msg)
		case cur == nil && action == "merge":
			action = "create"
		case cur == nil:
			if _, isLookup := o.id.(map[string]any); isLookup {
				return fail(0, errMsg(CodeNoMatch, "Reference lookup match could not be found for {"+idPath+"}.", idPath))
			}
			n, _ := convertScalar(&propModel{typ: "integer"}, o.id)
			return fail(n.(int64), errMsg(CodeRecordNotFound, fmt.Sprintf("No %s with id %v exists.", em.name, o.id), idPath))
		case action == "merge":
			action = "update"
		}
	}
	var self int64
	if cur != nil {
		self = cur.id
		if o.version != nil && *o.version != cur.version {
			return fail(self, errMsg(CodeVersionMismatch, fmt.Sprintf("The record was changed by someone else: version %d was given, the record is at version %d.", *o.version, cur.version), em.path(nil)))
		}
	}
	if action == "delete" {
		if refs := st.referrers(cur, 3); len(refs) > 0 {
			var names []string
			for _, r := range refs {
				names = append(names, fmt.Sprintf("%s %d", r.et.name, r.id))
			}
			return fail(self, errMsg(CodeInUse, "The record is referenced by "+strings.Join(names, ", ")+" and cannot be deleted.", em.path(nil)))
		}
		t.remove(cur)
		return succeeded(res, cur.id, cur.version)
	}
	changes, msgs, bad := t.convertProps(em, o.props)
	next := &storedRecord{et: em, version: 1, uoid: o.key, props: map[string]any{}}
	if cur != nil {
		next = &storedRecord{id: cur.id, et: em, version: cur.version + 1, uoid: cur.uoid, props: maps.Clone(cur.props)}
	}
	for name, v := range changes {
		if v == nil {
			delete(next.props, name)
		} else {
			next.props[name] = v
		}
	}
	for _, p := range em.order {
		v := next.props[p.name]
		switch {
		case bad[p.name]:
		case p.required && v == nil:
			msgs = append(msgs, errMsg(CodeNotNull, "{"+em.path(p)+"} must not be empty.", em.path(p)))
		case p.unique && v != nil:
			if id, taken := st.taken(p, v, self); taken {
				msgs = append(msgs, errMsg(CodeUnique, fmt.Sprintf("{%s} must be unique: %v is already used by %s %d.", em.path(p), v, em.name, id), em.path(p)))
			}
		}
	}
	if len(msgs) > 0 {
		return fail(self, msgs...)
	}
	if cur == nil {
		next.id = t.newID()
		t.insert(next)
	} else {
		t.replace(cur, next)
	}
	return succeeded(res, next.id, next.version)
}

func succeeded(res result, id, version int64) result {
	res.Status, res.ID, res.Version = statusSucceeded, &id, &version
	return res
}

// resolveTarget finds the record an id (literal or converter) names; nil without a message when
// there is none.
func (t *tx) resolveTarget(em *entityModel, id any) (*storedRecord, *message) {
	idPath := em.path(nil)
	if obj, ok := id.(map[string]any); ok {
		l, err := parseLookup(em, obj)
		if err != nil {
			m := notConverted(idPath, err)
			return nil, &m
		}
		switch ids := t.st.find(em, l); len(ids) {
		case 0:
			return nil, nil
		case 1:
			return t.st.recs[ids[0]], nil
		default:
			m := errMsg(CodeMultipleMatches, fmt.Sprintf("Reference lookup for {%s} matches %d records.", idPath, len(ids)), idPath)
			return nil, &m
		}
	}
	n, ok := convertScalar(&propModel{typ: "integer"}, id)
	if !ok {
		m := notConverted(idPath, nil)
		return nil, &m
	}
	if r := t.st.recs[n.(int64)]; r != nil && r.et == em {
		return r, nil
	}
	return nil, nil
}

// convertProps converts the property values of a record of em: the changes by canonical name
// (nil clears), the problems, and the properties that had one.
func (t *tx) convertProps(em *entityModel, raw map[string]any) (map[string]any, []message, map[string]bool) {
	changes := map[string]any{}
	var msgs []message
	bad := map[string]bool{}
	for _, k := range sortedKeys(raw) {
		p := em.prop(k)
		if p == nil {
			path := em.name + "->" + upperFirst(k)
			msgs = append(msgs, errMsg(CodeUnknownProperty, fmt.Sprintf("%s has no property %q.", em.name, k), path))
			continue
		}
		v, msg := t.convertValue(em, p, raw[k])
		if msg != nil {
			msgs = append(msgs, *msg)
			bad[p.name] = true
			continue
		}
		changes[p.name] = v
	}
	return changes, msgs, bad
}

// convertValue converts one property value, resolving a reference's converter or checking its
// literal id.
func (t *tx) convertValue(em *entityModel, p *propModel, v any) (any, *message) {
	path := em.path(p)
	if obj, ok := v.(map[string]any); ok && p.typ == "reference" {
		l, err := parseLookup(p.ref, obj)
		if err != nil {
			m := notConverted(path, err)
			return nil, &m
		}
		switch ids := t.st.find(p.ref, l); len(ids) {
		case 0:
			m := errMsg(CodeNoMatch, "Reference lookup match could not be found for {"+path+"}.", path)
			return nil, &m
		case 1:
			return ids[0], nil
		default:
			m := errMsg(CodeMultipleMatches, fmt.Sprintf("Reference lookup for {%s} matches %d records.", path, len(ids)), path)
			return nil, &m
		}
	}
	c, ok := convertScalar(p, v)
	if !ok {
		m := notConverted(path, nil)
		return nil, &m
	}
	if p.typ == "reference" && c != nil {
		if r := t.st.recs[c.(int64)]; r == nil || r.et != p.ref {
			m := errMsg(CodeReferenceMissing, fmt.Sprintf("{%s}: no %s has id %d.", path, p.ref.name, c), path)
			return nil, &m
		}
	}
	return c, nil
}

func notConverted(path string, why error) message {
	text := "Value specified for property {" + path + "} could not be converted or resolved."
	if why != nil {
		text = strings.TrimSuffix(text, ".") + ": " + why.Error() + "."
	}
	return errMsg(CodeNotConverted, text, path)
}
