package spec

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// check reports the problems the schema cannot see: names that clash or refer to nothing, keys
// that the target kind needs or does not take, and settings that contradict each other. Values
// the schema already refused (absent, wrong type) are skipped, so nothing is reported twice.
func check(j *Job, root *node, p *problems) {
	checkTarget(j, root.get("target"), p)
	if e := root.get("entities"); e != nil && root.get("target") == nil {
		p.add(e.pos, e.path, "entities need a target to map rows to: add target: (kind and url), or remove entities: for a validation-only job (rows only typed and validated)")
	}
	if t := root.get("submit").get("timeout"); t != nil && j.Submit.Timeout != "" {
		if d, err := time.ParseDuration(j.Submit.Timeout); err != nil || d <= 0 {
			p.add(t.pos, t.path, "must be a duration such as 30s or 2m, got %q", j.Submit.Timeout)
		}
	}
	sources := unique(mappings(root.get("sources")), "source", p)
	for i, n := range mappings(root.get("sources")) {
		checkSource(&j.Sources[i], n, p)
	}
	unique(mappings(root.get("lookups")), "lookup", p)
	entities := unique(mappings(root.get("entities")), "entity", p)
	for i, n := range mappings(root.get("entities")) {
		checkEntity(j, &j.Entities[i], n, sources, entities, p)
	}
}

// unique reports every item whose name an earlier item already has, and returns the names.
func unique(items []*node, what string, p *problems) []string {
	first := map[string]Pos{}
	var names []string
	for _, it := range items {
		n := it.get("name")
		name, ok := n.scalarString()
		if !ok || name == "" {
			continue
		}
		if at, dup := first[name]; dup {
			p.add(n.pos, n.path, "duplicate %s name %q (first at line %d)", what, name, at.Line)
			continue
		}
		first[name] = n.pos
		names = append(names, name)
	}
	return names
}

// checkTarget checks the keys each target kind needs and the ones it does not take.
func checkTarget(j *Job, t *node, p *problems) {
	if t == nil {
		return
	}
	kinds := map[string][]string{OnKey: {"bearer", "client_credentials", "none"}, OnixWork: {"password", "key", "none"}}
	switch j.Target.Kind {
	case OnKey:
		need(t, p, "for an On Key target", "tenant", "connection")
	case OnixWork:
		refuse(t, p, "On Key", OnixWork, "tenant", "connection", "method")
	default:
		return
	}
	a := t.get("auth")
	au := j.Target.Auth
	if a == nil || a.get("kind") == nil {
		return
	}
	if !slices.Contains(kinds[j.Target.Kind], au.Kind) {
		k := a.get("kind")
		p.add(k.pos, k.path, "%q does not work with a %s target, which takes %s", au.Kind, j.Target.Kind, orList(kinds[j.Target.Kind]))
		return
	}
	switch au.Kind {
	case "bearer", "key":
		if au.TokenEnv == "" && au.TokenFile == "" {
			p.add(a.pos, a.path, "%s needs token_env or token_file", au.Kind)
		}
		if au.TokenEnv != "" && au.TokenFile != "" {
			v := a.get("token_file")
			p.add(v.pos, v.path, "give token_env or token_file, not both")
		}
	case "client_credentials":
		need(a, p, "for client_credentials", "token_url", "client_id_env", "client_secret_env")
	case "password":
		need(a, p, "for password", "username_env", "password_env")
		if v := a.get("token_lifetime"); v != nil {
			if d, err := time.ParseDuration(au.TokenLifetime); err != nil || d <= 0 {
				p.add(v.pos, v.path, "must be a duration such as 60m or 30s, got %q", au.TokenLifetime)
			}
		}
	}
}

// checkSource checks the settings of one source against its format.
func checkSource(s *Source, n *node, p *problems) {
	if s.Format == "" {
		if f := n.get("file"); f != nil && s.File != "" {
			p.add(f.pos, f.path, "cannot tell the format from the file name; add format: csv, xlsx, json or jsonl")
		}
	} else {
		refuseUnless(n, p, s.Format, []string{"csv"}, "delimiter", "encoding")
		refuseUnless(n, p, s.Format, []string{"xlsx"}, "sheet", "sheet_index")
		refuseUnless(n, p, s.Format, []string{"csv", "xlsx"}, "header_row", "columns")
		refuseUnless(n, p, s.Format, []string{"json", "jsonl"}, "explode")
		refuseUnless(n, p, s.Format, []string{"csv", "xlsx"}, "limits")
		if l := n.get("limits"); l != nil {
			refuseUnless(l, p, s.Format, []string{"xlsx"}, "workbook_size", "sheet_size")
			refuseUnless(l, p, s.Format, []string{"csv"}, "record_size")
		}
	}
	if l := n.get("limits"); l != nil {
		for _, key := range []string{"workbook_size", "sheet_size", "cell_size", "record_size"} {
			if v := l.get(key); v != nil && v.kind == scalarNode {
				if _, isText := v.scalar.(string); !isText {
					continue // the schema checks numbers
				}
				if _, err := sizeOf(v); err != nil {
					p.add(v.pos, v.path, "%v", err)
				}
			}
		}
	}
	checkHeaderless(s, n, p)
	if n.get("sheet") != nil && n.get("sheet_index") != nil {
		v := n.get("sheet_index")
		p.add(v.pos, v.path, "give sheet or sheet_index, not both")
	}
	if e := n.get("explode"); e != nil && slices.Contains(s.Explode, "") {
		p.add(e.pos, e.path, "must be a path of keys such as Orderlines or Orderlines.ERPSerials, got %s", e.describe())
	}
	if t := n.get("typing"); t != nil && s.Typing.Thousands != "" {
		for _, r := range s.Typing.Thousands {
			if string(r) == s.Typing.Decimal {
				v := t.get("thousands")
				p.add(v.pos, v.path, "must not contain the decimal separator %q", s.Typing.Decimal)
				break
			}
		}
	}
}

// checkEntity checks one entity's references and its keys against the target kind.
func checkEntity(j *Job, e *Entity, n *node, sources, entities []string, p *problems) {
	if v := n.get("source"); v != nil && e.Source != "" && !slices.Contains(sources, e.Source) {
		p.add(v.pos, v.path, "no source is named %q%s", e.Source, didYouMean(e.Source, sources))
	}
	switch j.Target.Kind {
	case OnKey:
		need(n, p, "for an On Key target", "entityType", "action")
		if (e.Action == "Update" || e.Action == "Delete" || e.Action == "Merge") && n.get("id") == nil {
			p.add(n.pos, n.path, "missing required key \"id\": action %s needs the record's id", e.Action)
		}
		refuse(n, p, "Onix Work", OnKey, "endpoint", "send_without_children")
	case OnixWork:
		need(n, p, "for an Onix Work target", "endpoint")
		refuse(n, p, "On Key", OnixWork, "entityType", "action", "id")
	}
	pn := n.get("parent").get("entity")
	if pn == nil || e.Parent == nil || e.Parent.Entity == "" {
		return
	}
	switch {
	case e.Parent.Entity == e.Name:
		p.add(pn.pos, pn.path, "an entity cannot be its own parent")
	case !slices.Contains(entities, e.Parent.Entity):
		p.add(pn.pos, pn.path, "no entity is named %q%s", e.Parent.Entity, didYouMean(e.Parent.Entity, entities))
	default:
		seen := map[string]bool{e.Name: true}
		for at, ok := j.Entity(e.Parent.Entity); ok && at.Parent != nil; at, ok = j.Entity(at.Parent.Entity) {
			if seen[at.Parent.Entity] {
				p.add(pn.pos, pn.path, "parents form a cycle through %q", at.Parent.Entity)
				break
			}
			seen[at.Name] = true
		}
	}
}

// need reports each key that n lacks, as "missing required key "tenant" for an On Key target".
func need(n *node, p *problems, why string, keys ...string) {
	for _, k := range keys {
		if n.get(k) == nil {
			p.add(n.pos, n.path, "missing required key %q %s", k, why)
		}
	}
}

// refuse reports each key n has that belongs to the other target kind.
func refuse(n *node, p *problems, owner, kind string, keys ...string) {
	for _, k := range keys {
		if v := n.get(k); v != nil {
			p.add(n.keyPos(k), v.path, "applies to %s targets only; this target is %s", owner, kind)
		}
	}
}

// refuseUnless reports each key n has that a source of this format does not take.
func refuseUnless(n *node, p *problems, format string, formats []string, keys ...string) {
	if slices.Contains(formats, format) {
		return
	}
	for _, k := range keys {
		if v := n.get(k); v != nil {
			p.add(n.keyPos(k), v.path, "applies to %s sources only; this source is %s", orList(formats), format)
		}
	}
}

// keyPos returns the position of key in a mapping node.
func (n *node) keyPos(key string) Pos {
	for _, f := range n.fields {
		if f.key == key {
			return f.keyPos
		}
	}
	return n.pos
}

// scalarString returns the node's string value.
func (n *node) scalarString() (string, bool) {
	if n == nil || n.kind != scalarNode {
		return "", false
	}
	s, ok := n.scalar.(string)
	return s, ok
}

// orList renders words as "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return fmt.Sprintf("%s or %s", strings.Join(words[:len(words)-1], ", "), words[len(words)-1])
}
