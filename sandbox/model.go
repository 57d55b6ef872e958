package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// model is the compiled, immutable data model of a Config: entity types and their properties,
// looked up case-insensitively.
type model struct {
	types map[string]*entityModel // by lower-case name
	names []string                // canonical names, sorted
}

// entityModel is one entity type.
type entityModel struct {
	name             string
	module, resource string
	code             *propModel // the Code converter's property, or nil
	props            map[string]*propModel
	order            []*propModel // sorted by name
}

// propModel is one property.
type propModel struct {
	name     string // as in JSON, e.g. "permissionTreeId"
	typ      string // string, integer, number, boolean, date, reference
	required bool
	unique   bool
	ref      *entityModel // for references
}

var propTypes = []string{"string", "integer", "number", "boolean", "date"}

// buildModel compiles the entity types of c, reporting every problem (seeded records are
// checked by newStore).
func buildModel(c *Config) (*model, []fieldError) {
	var errs []fieldError
	add := func(msg string, path ...string) {
		errs = append(errs, fieldError{append([]string{"entities"}, path...), msg})
	}
	m := &model{types: map[string]*entityModel{}}
	endpoints := map[string]string{}
	for _, name := range sortedKeys(c.Entities) {
		et := c.Entities[name]
		if et == nil {
			continue // removed
		}
		if !validName(name) {
			add("an entity type name is a letter followed by letters and digits", name)
			continue
		}
		if prev, ok := m.types[strings.ToLower(name)]; ok {
			add(fmt.Sprintf("the name differs from %s only in case", prev.name), name)
			continue
		}
		em := &entityModel{name: name, module: et.Module, resource: et.Resource, props: map[string]*propModel{}}
		m.types[strings.ToLower(name)] = em
		m.names = append(m.names, name)
		if (et.Module == "") != (et.Resource == "") {
			add("module and resource are given together or not at all", name)
		} else if et.Module != "" {
			key := strings.ToLower(et.Module + "/" + et.Resource)
			if other, ok := endpoints[key]; ok {
				add("the endpoint /modules/"+et.Module+"/"+et.Resource+" is also "+other+"'s", name, "resource")
			}
			endpoints[key] = name
		}
		for _, pn := range sortedKeys(et.Properties) {
			p := et.Properties[pn]
			if p == nil {
				continue
			}
			lower := strings.ToLower(pn)
			switch {
			case !validName(pn):
				add("a property name is a letter followed by letters and digits", name, "properties", pn)
				continue
			case lower == "id" || lower == "version":
				add("id and version are reserved", name, "properties", pn)
				continue
			case em.props[lower] != nil:
				add("the name differs from "+em.props[lower].name+" only in case", name, "properties", pn)
				continue
			}
			pm := &propModel{name: pn, typ: p.Type, required: p.Required, unique: p.Unique}
			if pm.typ == "" {
				pm.typ = "string"
			}
			if p.Reference != "" {
				if p.Type != "" && p.Type != "integer" {
					add("a reference holds an integer id: type must be integer or omitted", name, "properties", pn, "type")
				}
				pm.typ = "reference"
			} else if !slices.Contains(propTypes, pm.typ) {
				add("unknown type "+p.Type+" (want one of "+strings.Join(propTypes, ", ")+")", name, "properties", pn, "type")
			}
			em.props[lower] = pm
			em.order = append(em.order, pm)
		}
	}
	// Second pass: references and code properties, now that every type is known.
	for _, name := range m.names {
		em, et := m.types[strings.ToLower(name)], c.Entities[name]
		for _, pm := range em.order {
			if pm.typ != "reference" {
				continue
			}
			target := et.Properties[pm.name].Reference
			if pm.ref = m.types[strings.ToLower(target)]; pm.ref == nil {
				add("references the unknown entity type "+target, name, "properties", pm.name, "reference")
			}
		}
		code := et.Code
		if code == "" && em.props["code"] != nil {
			code = "code"
		}
		if code != "" {
			em.code = em.props[strings.ToLower(code)]
			if em.code == nil {
				add("names no property of the type", name, "code")
			} else if em.code.typ != "string" {
				add("the Code property must be a string", name, "code")
			}
		}
	}
	return m, errs
}

func validName(s string) bool {
	for i, r := range s {
		if !(unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r))) {
			return false
		}
	}
	return s != ""
}

// entity returns the entity type named name (case-insensitive), or nil.
func (m *model) entity(name string) *entityModel { return m.types[strings.ToLower(name)] }

// byEndpoint returns the entity type of /modules/{module}/{resource}, or nil.
func (m *model) byEndpoint(module, resource string) *entityModel {
	for _, n := range m.names {
		em := m.types[strings.ToLower(n)]
		if em.module != "" && strings.EqualFold(em.module, module) && strings.EqualFold(em.resource, resource) {
			return em
		}
	}
	return nil
}

// prop returns the property named name (case-insensitive), or nil.
func (e *entityModel) prop(name string) *propModel { return e.props[strings.ToLower(name)] }

// path is the property's name in messages, as On Key writes it: "Site->PermissionTree_Id" for
// a reference, "Site->Code" otherwise.
func (e *entityModel) path(p *propModel) string {
	if p == nil {
		return e.name + "->Id"
	}
	n := p.name
	if p.typ == "reference" && len(n) > 2 && strings.HasSuffix(n, "Id") {
		return e.name + "->" + upperFirst(n[:len(n)-2]) + "_Id"
	}
	return e.name + "->" + upperFirst(n)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
