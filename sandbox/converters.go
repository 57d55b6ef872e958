package sandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds value conversion and the ReferenceLookup schema converter (seed 004):
//
//	{"converter":"ReferenceLookup","type":"Code","code":"A20"}
//	{"code":"A20"}                                  (Code is the default converter and type)
//	{"converter":"ReferenceLookup","type":"Custom","properties":{"Site->Code":"A10","Site->SiteType_Code":"FAC"}}
//
// A Custom key is "{EntityType}->{path}", the path a chain of reference navigations ending in a
// property, split by "_" (as the docs write it) or ".": "Site->SiteType_Code" is the code of the
// site's siteTypeId record; "RegularAsset->AssetType_ParentAssetType_Code" goes two steps. A
// navigation step names a reference property with or without its "Id" suffix; a final "Id" is
// the record id. Values match exactly (strings are case-sensitive; numbers compare as numbers).

// lookup is a parsed ReferenceLookup converter.
type lookup struct {
	custom  bool
	code    string
	filters []filter
}

type filter struct {
	key   string
	steps []*propModel // navigations, then the final property; a nil final step is the id
	value any
}

// parseLookup reads the converter object obj for a lookup of target; the error is the reason it
// cannot be used.
func parseLookup(target *entityModel, obj map[string]any) (*lookup, error) {
	l := &lookup{}
	for k := range obj {
		switch strings.ToLower(k) {
		case "converter", "type", "code", "properties":
		default:
			return nil, fmt.Errorf("unknown converter field %q", k)
		}
	}
	if c, ok := field(obj, "converter"); ok && !strings.EqualFold(fmt.Sprint(c), "ReferenceLookup") {
		return nil, fmt.Errorf("unknown converter %v", c)
	}
	typ := "Code"
	if t, ok := field(obj, "type"); ok {
		typ = fmt.Sprint(t)
	}
	switch strings.ToLower(typ) {
	case "code":
		c, ok := field(obj, "code")
		code, isScalar := scalarString(c)
		if !ok || !isScalar || code == "" {
			return nil, fmt.Errorf("a Code lookup needs a code")
		}
		if target.code == nil {
			return nil, fmt.Errorf("%s has no Code property", target.name)
		}
		l.code = code
	case "custom":
		l.custom = true
		p, _ := field(obj, "properties")
		props, ok := p.(map[string]any)
		if !ok || len(props) == 0 {
			return nil, fmt.Errorf("a Custom lookup needs properties")
		}
		for _, key := range sortedKeys(props) {
			steps, err := compilePath(target, key)
			if err != nil {
				return nil, err
			}
			v := props[key]
			if _, ok := scalarString(v); !ok && v != nil {
				return nil, fmt.Errorf("the value of %s is not a scalar", key)
			}
			l.filters = append(l.filters, filter{key: key, steps: steps, value: v})
		}
	default:
		return nil, fmt.Errorf("unknown lookup type %q (want Code or Custom)", typ)
	}
	return l, nil
}

// field returns obj's value for key, matched case-insensitively.
func field(obj map[string]any, key string) (any, bool) {
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// compilePath resolves a Custom key "Type->A_B_Code" against target.
func compilePath(target *entityModel, key string) ([]*propModel, error) {
	typ, path, ok := strings.Cut(key, "->")
	if !ok || !strings.EqualFold(strings.TrimSpace(typ), target.name) {
		return nil, fmt.Errorf("the lookup key %q must start with %s->", key, target.name)
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '_' || r == '.' })
	if len(segs) == 0 {
		return nil, fmt.Errorf("the lookup key %q names no property", key)
	}
	em := target
	var steps []*propModel
	for i, seg := range segs {
		last := i == len(segs)-1
		if last && strings.EqualFold(seg, "id") {
			return append(steps, nil), nil
		}
		p := em.prop(seg + "Id")
		if p == nil || p.typ != "reference" || (last && em.prop(seg) != nil) {
			p = em.prop(seg)
		}
		if p == nil {
			return nil, fmt.Errorf("the lookup key %q: %s has no property %s", key, em.name, seg)
		}
		if !last && p.typ != "reference" {
			return nil, fmt.Errorf("the lookup key %q: %s->%s is not a reference", key, em.name, p.name)
		}
		steps = append(steps, p)
		if !last {
			em = p.ref
		}
	}
	return steps, nil
}

// find returns the ids of target's records that l matches, in id order.
func (st *store) find(target *entityModel, l *lookup) []int64 {
	if !l.custom && target.code.unique {
		if id, ok := st.uniq[target.code][l.code]; ok {
			return []int64{id}
		}
		return nil
	}
	var ids []int64
	for _, r := range st.byType[target] {
		if l.matches(st, r) {
			ids = append(ids, r.id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (l *lookup) matches(st *store, r *storedRecord) bool {
	if !l.custom {
		s, ok := r.props[r.et.code.name].(string)
		return ok && s == l.code
	}
	for _, f := range l.filters {
		v, ok := st.navigate(r, f.steps)
		if !valueMatches(v, ok, f) {
			return false
		}
	}
	return true
}

// navigate follows steps from r; ok is false when a step finds no value.
func (st *store) navigate(r *storedRecord, steps []*propModel) (any, bool) {
	for i, p := range steps {
		if p == nil {
			return r.id, true
		}
		v, ok := r.props[p.name]
		if !ok || v == nil {
			return nil, false
		}
		if i == len(steps)-1 {
			return v, true
		}
		if r = st.recs[v.(int64)]; r == nil {
			return nil, false
		}
	}
	return nil, false
}

func valueMatches(v any, ok bool, f filter) bool {
	if f.value == nil {
		return !ok
	}
	if !ok {
		return false
	}
	want, _ := scalarString(f.value)
	last := f.steps[len(f.steps)-1]
	if last == nil || last.typ == "integer" || last.typ == "number" || last.typ == "reference" {
		a, err1 := strconv.ParseFloat(valueString(v), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(want), 64)
		return err1 == nil && err2 == nil && a == b
	}
	if last.typ == "boolean" {
		return strings.EqualFold(valueString(v), strings.TrimSpace(want))
	}
	return valueString(v) == want
}

// valueString is the text of a stored or decoded scalar.
func valueString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// scalarString is the text of a JSON/YAML scalar; ok is false for objects, arrays and null.
func scalarString(v any) (string, bool) {
	switch v.(type) {
	case string, json.Number, int64, int, uint64, float64, bool:
		return valueString(v), true
	}
	return "", false
}

// convertScalar converts a decoded JSON (json.Number) or YAML value to what p stores: string,
// int64 (integer, reference), float64 (number), bool, or a date string. null converts to nil.
// Numeric text converts to numbers and "true"/"false" to booleans, as a lenient JSON
// deserializer does; objects and arrays convert to nothing (ok false).
func convertScalar(p *propModel, v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	if t, ok := v.(time.Time); ok { // YAML timestamps
		v = t.Format(time.RFC3339Nano)
		if t.Equal(t.Truncate(24 * time.Hour)) {
			v = t.Format(time.DateOnly)
		}
	}
	s, ok := scalarString(v)
	if !ok {
		return nil, false
	}
	switch p.typ {
	case "string":
		return s, true
	case "integer", "reference":
		if _, isBool := v.(bool); isBool {
			return nil, false
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return n, true
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, false
		}
		return int64(f), true
	case "number":
		if _, isBool := v.(bool); isBool {
			return nil, false
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, false
		}
		return f, true
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil || !slices.Contains([]string{"true", "false"}, strings.ToLower(strings.TrimSpace(s))) {
			return nil, false
		}
		return b, true
	case "date":
		if _, isStr := v.(string); !isStr {
			return nil, false
		}
		for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
			if _, err := time.Parse(layout, s); err == nil {
				return s, true
			}
		}
	}
	return nil, false
}
