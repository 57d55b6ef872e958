package spec

import "strings"

// decode builds the typed job from the checked node tree, starting from the defaults. It is
// lenient: a value of the wrong type was already reported by the schema and is skipped here.
func decode(root *node) *Job {
	j := &Job{Target: defaultTarget(), Submit: defaultSubmit(), Report: defaultReport()}
	getInt(root, "version", &j.Version)
	getStr(root, "name", &j.Name)
	if t := root.get("target"); t != nil {
		j.Target.Pos = t.pos
		getStr(t, "kind", &j.Target.Kind)
		getStr(t, "url", &j.Target.URL)
		getStr(t, "tenant", &j.Target.Tenant)
		getStr(t, "connection", &j.Target.Connection)
		getStr(t, "method", &j.Target.Method)
		if a := t.get("auth"); a != nil {
			au := &j.Target.Auth
			getStr(a, "kind", &au.Kind)
			getStr(a, "token_env", &au.TokenEnv)
			getStr(a, "token_file", &au.TokenFile)
			getStr(a, "token_url", &au.TokenURL)
			getStr(a, "client_id_env", &au.ClientIDEnv)
			getStr(a, "client_secret_env", &au.ClientSecretEnv)
			getStrs(a, "scopes", &au.Scopes)
			getStr(a, "username_env", &au.UsernameEnv)
			getStr(a, "password_env", &au.PasswordEnv)
			getStr(a, "token_lifetime", &au.TokenLifetime)
		}
	}
	if s := root.get("submit"); s != nil {
		su := &j.Submit
		getInt(s, "batch_size", &su.BatchSize)
		getInt(s, "concurrency", &su.Concurrency)
		getBool(s, "adaptive", &su.Adaptive)
		getStr(s, "mode", &su.Mode)
		getBool(s, "ordered", &su.Ordered)
		getBool(s, "async", &su.Async)
		getFloat(s, "rate", &su.Rate)
		getInt(s, "max_errors", &su.MaxErrors)
		getBool(s, "breaker", &su.Breaker)
		getInt(s, "retries", &su.Retries)
		getStr(s, "timeout", &su.Timeout)
	}
	for _, n := range mappings(root.get("sources")) {
		j.Sources = append(j.Sources, decodeSource(n))
	}
	for _, n := range mappings(root.get("lookups")) {
		l := Lookup{Pos: n.pos}
		getStr(n, "name", &l.Name)
		getStr(n, "file", &l.Path)
		getStr(n, "key", &l.Key)
		getStr(n, "value", &l.Value)
		getStr(n, "delimiter", &l.Delimiter)
		getStr(n, "encoding", &l.Encoding)
		j.Lookups = append(j.Lookups, l)
	}
	for _, n := range mappings(root.get("entities")) {
		j.Entities = append(j.Entities, decodeEntity(n))
	}
	if r := root.get("report"); r != nil {
		getStr(r, "dir", &j.Report.Dir)
	}
	return j
}

// decodeSource reads one item of sources.
func decodeSource(n *node) Source {
	s := defaultSource()
	s.Pos = n.pos
	getStr(n, "name", &s.Name)
	getStr(n, "file", &s.Path)
	getStr(n, "format", &s.Format)
	getStr(n, "delimiter", &s.Delimiter)
	getStr(n, "encoding", &s.Encoding)
	getStr(n, "sheet", &s.Sheet)
	getInt(n, "sheet_index", &s.SheetIndex)
	getInt(n, "header_row", &s.HeaderRow)
	getStrs(n, "columns", &s.Columns)
	if l := n.get("limits"); l != nil {
		getSize(l, "workbook_size", &s.Limits.WorkbookBytes)
		getSize(l, "sheet_size", &s.Limits.SheetBytes)
		getSize(l, "cell_size", &s.Limits.CellBytes)
		getSize(l, "record_size", &s.Limits.RecordBytes)
		getInt(l, "columns", &s.Limits.Columns)
	}
	if e := n.get("explode"); e != nil {
		if path, ok := e.scalar.(string); ok && e.kind == scalarNode {
			s.Explode = strings.Split(path, ".")
		} else {
			getStrs(n, "explode", &s.Explode)
		}
	}
	getStr(n, "schema", &s.Schema)
	if t := n.get("typing"); t != nil {
		ty := &s.Typing
		getStr(t, "empty", &ty.Empty)
		getStr(t, "decimal", &ty.Decimal)
		getStr(t, "thousands", &ty.Thousands)
		getStrs(t, "date_layouts", &ty.DateLayouts)
		getStrs(t, "datetime_layouts", &ty.DateTimeLayouts)
		getStrs(t, "true_words", &ty.TrueWords)
		getStrs(t, "false_words", &ty.FalseWords)
		getBool(t, "trim", &ty.Trim)
	}
	return s
}

// decodeEntity reads one item of entities.
func decodeEntity(n *node) Entity {
	e := defaultEntity()
	e.Pos = n.pos
	getStr(n, "name", &e.Name)
	getStr(n, "source", &e.Source)
	getStr(n, "entityType", &e.EntityType)
	getStr(n, "action", &e.Action)
	e.ID = toValue(n.get("id"))
	getInt(n, "groupOrder", &e.GroupOrder)
	getStr(n, "endpoint", &e.Endpoint)
	e.UserObjectID = toValue(n.get("userObjectId"))
	getBool(n, "distinct", &e.Distinct)
	getBool(n, "send_without_children", &e.SendWithoutChildren)
	e.When = toValue(n.get("when"))
	if p := n.get("parent"); p != nil && p.kind == mapNode {
		e.Parent = &ParentRef{UserObjectID: toValue(p.get("userObjectId"))}
		getStr(p, "entity", &e.Parent.Entity)
	}
	e.Properties = toValue(n.get("properties"))
	return e
}

// toValue converts a mapping value to a Value tree: a string is an expression, a number or
// boolean a literal, null IsNull, a mapping Fields in document order, a list Items. It returns
// nil for nil.
func toValue(n *node) *Value {
	if n == nil {
		return nil
	}
	v := &Value{Pos: n.pos}
	switch n.kind {
	case mapNode:
		v.Fields = make([]Field, 0, len(n.fields))
		for _, f := range n.fields {
			v.Fields = append(v.Fields, Field{Name: f.key, Value: toValue(f.value)})
		}
	case seqNode:
		v.IsArray = true
		v.Items = make([]*Value, 0, len(n.items))
		for _, it := range n.items {
			v.Items = append(v.Items, toValue(it))
		}
	default:
		switch s := n.scalar.(type) {
		case nil:
			v.IsNull = true
		case string:
			v.Expr = s
		default:
			v.Literal = s
		}
	}
	return v
}

// mappings returns the mapping items of a list node.
func mappings(n *node) []*node {
	if n == nil || n.kind != seqNode {
		return nil
	}
	var out []*node
	for _, it := range n.items {
		if it.kind == mapNode {
			out = append(out, it)
		}
	}
	return out
}

// getStr sets *dst to the string at key, if there is one.
func getStr(n *node, key string, dst *string) {
	if v := n.get(key); v != nil && v.kind == scalarNode {
		if s, ok := v.scalar.(string); ok {
			*dst = s
		}
	}
}

// getStrs sets *dst to the list of strings at key, if there is one; non-strings are skipped.
func getStrs(n *node, key string, dst *[]string) {
	v := n.get(key)
	if v == nil || v.kind != seqNode {
		return
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		if s, ok := it.scalar.(string); ok && it.kind == scalarNode {
			out = append(out, s)
		}
	}
	*dst = out
}

// getInt sets *dst to the integer at key, if there is one (a float with no fraction counts).
func getInt(n *node, key string, dst *int) {
	v := n.get(key)
	if v == nil || v.kind != scalarNode {
		return
	}
	switch x := v.scalar.(type) {
	case int64:
		*dst = int(x)
	case float64:
		if x == float64(int(x)) {
			*dst = int(x)
		}
	}
}

// getFloat sets *dst to the number at key, if there is one.
func getFloat(n *node, key string, dst *float64) {
	v := n.get(key)
	if v == nil || v.kind != scalarNode {
		return
	}
	switch x := v.scalar.(type) {
	case int64:
		*dst = float64(x)
	case float64:
		*dst = x
	}
}

// getBool sets *dst to the boolean at key, if there is one.
func getBool(n *node, key string, dst *bool) {
	if v := n.get(key); v != nil && v.kind == scalarNode {
		if b, ok := v.scalar.(bool); ok {
			*dst = b
		}
	}
}
