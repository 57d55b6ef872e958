package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// contentImport is the content type of an import (seed 003).
const contentImport = "application/vnd.onkey.entityimportcollection+json"

// handleImport serves /modules/system/imports (POST, PUT or PATCH: the documents disagree, so
// all three are accepted): an array of {entityType, action, userObjectId, id?, groupOrder?,
// properties?}. Structural problems (not an array, a missing or duplicated userObjectId, a
// groupOrder that is not an integer) refuse the whole request with 400; everything else is a
// per-record outcome.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request, entry *Request) {
	if !allowMethods(w, r, http.MethodPost, http.MethodPut, http.MethodPatch) ||
		!requireContentType(w, r, contentImport) {
		return
	}
	opts, ops, ok := s.readOps(w, r, importOp)
	if !ok {
		return
	}
	uoids := make([]string, len(ops))
	groups := make([]int64, len(ops))
	for i, o := range ops {
		uoids[i], groups[i] = o.key, o.group
	}
	s.noteEntry(entry, func(e *Request) { e.UserObjectIDs, e.GroupOrders = uoids, groups })
	if !checkUnique(w, ops) {
		return
	}
	s.executeBulk(w, ops, opts, entry)
}

// importOp decodes one element of an import (field names are case-insensitive; unknown fields
// are ignored, as a lenient JSON deserializer does).
func importOp(item map[string]any) (*op, error) {
	o := &op{}
	var ok bool
	if o.uoid, o.key, ok = userObjectID(item); !ok {
		return nil, fmt.Errorf("userObjectId must be a non-empty string or a number")
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"entityType", &o.entity}, {"action", &o.action}} {
		v, _ := field(item, f.name)
		s, isString := v.(string)
		if v != nil && !isString {
			return nil, fmt.Errorf("%s must be a string", f.name)
		}
		*f.dst = s
	}
	o.id, o.hasID = field(item, "id")
	if g, ok := field(item, "groupOrder"); ok && g != nil {
		n, isNum := g.(json.Number)
		v, err := strconv.ParseInt(string(n), 10, 64)
		if !isNum || err != nil {
			return nil, fmt.Errorf("groupOrder must be an integer")
		}
		o.group = v
	}
	if p, ok := field(item, "properties"); ok && p != nil {
		props, isObj := p.(map[string]any)
		if !isObj {
			return nil, fmt.Errorf("properties must be an object")
		}
		o.props = props
	}
	return o, nil
}
