package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Content types of the batch requests (seed 003).
const (
	contentCreate = "application/vnd.onkey.entitycollection+json"
	contentPatch  = "application/vnd.onkey.entitypatchcollection+json"
	contentDelete = "application/vnd.onkey.entitydeletecollection+json"
)

// handleBatch serves /modules/{module}/{resource} of entity type em: POST entitycollection
// [{userObjectId, properties}] creates, PATCH entitypatchcollection [{id, version,
// operations:[{path, value}]}] updates (a null value clears), DELETE entitydeletecollection
// [{id, version}] deletes. A patch or delete of another version than the stored one fails with
// CodeVersionMismatch. Mode, ordering and async work as for imports; the answer is the same.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, em *entityModel, entry *Request) {
	var ct string
	switch r.Method {
	case http.MethodPost:
		ct = contentCreate
	case http.MethodPatch:
		ct = contentPatch
	case http.MethodDelete:
		ct = contentDelete
	default:
		allowMethods(w, r, http.MethodPost, http.MethodPatch, http.MethodDelete)
		return
	}
	if !requireContentType(w, r, ct) {
		return
	}
	opts, ops, ok := s.readOps(w, r, func(item map[string]any) (*op, error) { return batchOp(r.Method, em, item) })
	if !ok {
		return
	}
	var uoids []string
	for _, o := range ops {
		if o.key != "" {
			uoids = append(uoids, o.key)
		}
	}
	s.noteEntry(entry, func(e *Request) { e.UserObjectIDs = uoids })
	if !checkUnique(w, ops) {
		return
	}
	s.executeBulk(w, ops, opts, entry)
}

// batchOp decodes one element of a batch request into an op of em.
func batchOp(method string, em *entityModel, item map[string]any) (*op, error) {
	o := &op{entity: em.name}
	uoid, key, hasUOID := userObjectID(item)
	if hasUOID {
		o.uoid, o.key = uoid, key
	}
	if method == http.MethodPost {
		if !hasUOID {
			return nil, fmt.Errorf("userObjectId must be a non-empty string or a number")
		}
		o.action = "Create"
		if p, ok := field(item, "properties"); ok && p != nil {
			props, isObj := p.(map[string]any)
			if !isObj {
				return nil, fmt.Errorf("properties must be an object")
			}
			o.props = props
		}
		return o, nil
	}
	o.action = "Update"
	if method == http.MethodDelete {
		o.action = "Delete"
	}
	o.id, o.hasID = field(item, "id")
	if v, ok := field(item, "version"); ok && v != nil {
		n, isNum := v.(json.Number)
		ver, err := strconv.ParseInt(string(n), 10, 64)
		if !isNum || err != nil {
			return nil, fmt.Errorf("version must be an integer")
		}
		o.version = &ver
	} else {
		zero := int64(0) // no record has version 0: fails with CodeVersionMismatch
		o.version = &zero
	}
	if method == http.MethodPatch {
		v, _ := field(item, "operations")
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("operations must be an array")
		}
		o.props = map[string]any{}
		for j, e := range list {
			opn, isObj := e.(map[string]any)
			path, _ := field(opn, "path")
			name, isStr := path.(string)
			if !isObj || !isStr || strings.Trim(name, "/ ") == "" {
				return nil, fmt.Errorf("operation %d needs a path", j)
			}
			o.props[strings.Trim(name, "/ ")], _ = field(opn, "value")
		}
	}
	return o, nil
}
