package transforms

import (
	"bytes"
	"encoding/json"
	"sync"
)

// Record is one API record produced by a mapping from one row.
type Record struct {
	UserObjectID string
	// Entity is the name of the mapping (spec entity) that produced the record.
	Entity string
	// Kind is spec.OnKey or spec.OnixWork.
	Kind string
	// On Key: the import record's entityType and action. Onix Work: the endpoint path.
	EntityType string
	Action     string
	Endpoint   string
	GroupOrder int
	// Parent is the parent record's userObjectId, empty for records without a parent.
	Parent string
	// Distinct records may be produced by several rows, which must agree (see spec.Entity).
	Distinct bool
	// Body is the record exactly as it goes into a request: for On Key the import record
	// ({entityType, action, userObjectId, id?, groupOrder, properties}), for Onix Work the request
	// body. It is JSON-encodable; Object keeps the spec's key order.
	Body Object
}

// Object is a JSON object that keeps its keys in insertion order when encoded.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// Get returns the value of key and whether it is present.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// MarshalJSON encodes the members in order.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalValue(m.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalValue(m.Value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// EncodeJSON encodes v as compact JSON without escaping <, > and & (so that a converter key such
// as "SiteType->Code" reaches the API and the payload dumps exactly as written). It is
// AppendJSON into a new slice of the encoding's length.
func EncodeJSON(v any) ([]byte, error) {
	bp := encodeScratch.Get().(*[]byte)
	defer encodeScratch.Put(bp)
	b, err := AppendJSON((*bp)[:0], v)
	if cap(b) <= maxScratch {
		*bp = b
	}
	if err != nil {
		return nil, err
	}
	return append(make([]byte, 0, len(b)), b...), nil
}

// maxScratch is the largest buffer encodeScratch keeps: one grown for a rare large value is
// dropped.
const maxScratch = 1 << 20

// encodeScratch holds the buffers EncodeJSON encodes into before copying out exactly what it
// needs: one allocation per value instead of one per growth of the slice.
var encodeScratch = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// marshalValue is encoding/json's encoding of v, without HTML escaping and the final newline:
// the reference AppendJSON's bytes equal, and its path for values of other types.
func marshalValue(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
