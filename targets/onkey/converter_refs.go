package onkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/bulkload/bulkload/record"
)

// A converterRef is what one ReferenceLookup converter of an On Key record looks up: records of
// entityType whose properties have the given values. The server resolves it to an id; when a
// record of the same job in an earlier group produces those values, that record is a
// dependency of the one holding the converter.
type converterRef struct {
	property   string   // the property holding the converter: "siteTypeId"
	entityType string   // the entity it names: "SiteType"
	props      []string // the referred record's properties, camelCase: "code"
	values     []string // their values, in the order of props
	// unlinkable says why no dependency can be made (then entityType is empty): the notes of
	// the summary.
	unlinkable string
}

// show renders the lookup for a message: SiteType "ST-2", or SiteType {code: "A", ...}.
func (r converterRef) show() string {
	if len(r.props) == 1 {
		return fmt.Sprintf("%s %q", r.entityType, r.values[0])
	}
	parts := make([]string, len(r.props))
	for i := range r.props {
		parts[i] = fmt.Sprintf("%s: %q", r.props[i], r.values[i])
	}
	return r.entityType + " {" + strings.Join(parts, ", ") + "}"
}

// ConverterRefs returns the ReferenceLookup converters among the properties of an On Key import
// record body whose entity is one of earlier, the entity types that records of earlier groups of
// the job have, and those that name an entity but cannot be linked (Unlinkable says why); sorted
// by property. How a converter names its entity: converterRefs.
func ConverterRefs(body []byte, earlier []string) []record.ConverterRef {
	var out []record.ConverterRef
	for _, r := range converterRefs(body, earlier) {
		out = append(out, record.ConverterRef{Property: r.property, EntityType: r.entityType, Props: r.props,
			Values: r.values, Shown: r.show(), Unlinkable: r.unlinkable})
	}
	return out
}

// converterRefs returns the ReferenceLookup converters among the properties of an On Key import
// record body, with the entity each names, given the entity types that records of earlier groups
// of the job have (types). The rules:
//   - a Custom converter names its entity in its keys: {"SiteType->Code": "FAC"} looks up the
//     SiteType whose code is "FAC". Every key must name the same entity and a property of its
//     own; a key through another entity ("Site->SiteType_Code") cannot be checked against the
//     job's records, so such a converter makes no dependency (said in the summary).
//   - a Code converter (code(...), or {"converter": "ReferenceLookup", "code": ...}) names its
//     entity only through the property holding it: siteTypeId names SiteType, permissionTreeId
//     PermissionTree. The property's name without its "Id" is matched against types: the type it
//     equals (ignoring case), else the one it ends with at a word boundary (parentSiteId: Site).
//     When several types end it, the converter is ambiguous and makes no dependency (said in
//     the summary); when none does, it refers to a record the job does not produce.
//
// A converter whose entity no earlier group produces is left out: it refers to what the target
// holds already.
func converterRefs(body []byte, types []string) []converterRef {
	if !bytes.Contains(body, []byte(referenceLookupName)) {
		return nil
	}
	var rec struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(body, &rec) != nil {
		return nil
	}
	var refs []converterRef
	for prop, raw := range rec.Properties {
		var c struct {
			Converter  string                     `json:"converter"`
			Type       string                     `json:"type"`
			Code       json.RawMessage            `json:"code"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if len(raw) == 0 || raw[0] != '{' || !bytes.Contains(raw, []byte(referenceLookupName)) ||
			json.Unmarshal(raw, &c) != nil || c.Converter != referenceLookupName {
			continue
		}
		var ref converterRef
		var ok bool
		switch {
		case strings.EqualFold(c.Type, "Custom"):
			ref, ok = customRef(prop, c.Properties, types)
		case (c.Type == "" || strings.EqualFold(c.Type, "Code")) && c.Code != nil:
			ref, ok = codeRef(prop, c.Code, types)
		}
		if ok {
			refs = append(refs, ref)
		}
	}
	slices.SortFunc(refs, func(a, b converterRef) int { return strings.Compare(a.property, b.property) })
	return refs
}

// referenceLookupName is the converter name of On Key lookups (transforms/converters.go).
const referenceLookupName = "ReferenceLookup"

// codeRef is the reference of a Code converter at property prop.
func codeRef(prop string, code json.RawMessage, types []string) (converterRef, bool) {
	v, ok := record.ScalarText(code)
	if !ok {
		return converterRef{}, false
	}
	ref := converterRef{property: prop, props: []string{"code"}, values: []string{v}}
	base, hasID := strings.CutSuffix(prop, "Id")
	if !hasID || base == "" {
		return converterRef{}, false
	}
	for _, t := range types {
		if strings.EqualFold(base, t) {
			ref.entityType = t
			return ref, true
		}
	}
	var ends []string
	for _, t := range types {
		if n := len(base) - len(t); n > 0 && strings.EqualFold(base[n:], t) && unicode.IsUpper(rune(base[n])) {
			ends = append(ends, t)
		}
	}
	switch len(ends) {
	case 0:
		return converterRef{}, false
	case 1:
		ref.entityType = ends[0]
		return ref, true
	}
	slices.Sort(ends)
	ref.unlinkable = fmt.Sprintf("its name could name %s; write custom({\"%s->Code\": ...}) to say which",
		strings.Join(ends, " or "), ends[0])
	return ref, true
}

// customRef is the reference of a Custom converter at property prop.
func customRef(prop string, keys map[string]json.RawMessage, types []string) (converterRef, bool) {
	if len(keys) == 0 {
		return converterRef{}, false
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	ref := converterRef{property: prop}
	for _, k := range names {
		entity, p, ok := strings.Cut(k, "->")
		if !ok || entity == "" || p == "" {
			return converterRef{}, false
		}
		if ref.entityType == "" {
			ref.entityType = entity
		} else if entity != ref.entityType {
			return converterRef{property: prop, unlinkable: fmt.Sprintf("its keys name both %s and %s", ref.entityType, entity)}, true
		}
		if strings.ContainsAny(p, "_>") {
			return converterRef{property: prop, unlinkable: fmt.Sprintf("its key %q goes through another entity", k)}, true
		}
		v, ok := record.ScalarText(keys[k])
		if !ok {
			return converterRef{}, false
		}
		ref.props = append(ref.props, lowerFirst(p))
		ref.values = append(ref.values, v)
	}
	if !slices.Contains(types, ref.entityType) {
		return converterRef{}, false
	}
	return ref, true
}

// lowerFirst turns an On Key property path segment ("Code") into the import record's property
// name ("code").
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
