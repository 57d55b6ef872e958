package guess

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Targets are the target kinds a starter job may be written for.
var Targets = []string{"onkey", "onixwork"}

// Job is a starter job: its name, target kind and sources.
type Job struct {
	Name, Target string
	Sources      []Source
	SampleRows   int
}

// SchemaFile is the path, relative to the job's folder, of the source's row schema.
func SchemaFile(s Source) string { return "schemas/" + s.Name + ".schema.json" }

// YAML renders the job spec with comments that say what each guess rests on and what to check.
func (j Job) YAML() []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("# A starter job written by bulkload init from the data files alone. Every type, layout and key")
	p("# below is a guess from the rows looked at (at most %d per source: bulkload init --sample N).", j.SampleRows)
	p("# Check each comment, then: bulkload validate job.yaml")
	p("version: 1")
	p("name: %s", j.Name)
	p("")
	switch j.Target {
	case "onixwork":
		p("target:")
		p("  kind: onixwork")
		p("  url: ${ONIX_URL:-http://127.0.0.1:8680}")
		p("  auth:")
		p("    kind: password")
		p("    username_env: ONIX_USERNAME")
		p("    password_env: ONIX_PASSWORD")
	default:
		p("target:")
		p("  kind: onkey")
		p("  url: ${ONKEY_URL:-http://127.0.0.1:8680}")
		p("  tenant: ${ONKEY_TENANT:-acme}")
		p("  connection: ${ONKEY_CONNECTION:-prod}")
		p("  auth:")
		p("    kind: bearer")
		p("    token_env: ONKEY_TOKEN")
	}
	p("")
	p("sources:")
	for _, s := range j.Sources {
		j.source(&b, s)
	}
	p("")
	p("# To only check the files against their schemas, delete target: and entities: (a")
	p("# validation-only job: bulkload validate reports each row; bulkload run refuses it).")
	p("entities:")
	for _, s := range j.Sources {
		j.entity(&b, s)
	}
	return b.Bytes()
}

func (j Job) source(b *bytes.Buffer, s Source) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	where := s.File
	if s.Sheet != "" {
		where += ", sheet " + s.Sheet
	}
	rows := fmt.Sprintf("all %d data rows looked at", s.Rows)
	if s.More {
		rows = fmt.Sprintf("the first %d data rows looked at (the file has more)", s.Rows)
	}
	p("  # %s: %s.", where, rows)
	if s.EncNote != "" {
		p("  # encoding: %s.", s.EncNote)
	}
	if s.Format == "csv" {
		p("  # delimiter %s: with it the most lines have the same number of fields.", delimiterYAML(s.Delimiter))
	}
	if s.HeaderRow > 0 {
		unit := "row"
		if s.Format == "csv" {
			unit = "line"
		}
		h := fmt.Sprintf("  # header on %s %d", unit, s.HeaderRow)
		if len(s.Titles) > 0 {
			h += fmt.Sprintf("; above it, ignored: %s", quoteJoin(s.Titles, 3))
		}
		p("%s.", h)
	}
	if s.RowErrors > 0 {
		p("  # %d of the rows looked at have a problem of their own (validate names them).", s.RowErrors)
	}
	if s.Decimal != "" || s.Thousands != "" {
		l := locale{decimal: '.'}
		if s.Decimal != "" {
			l.decimal = s.Decimal[0]
		}
		if s.Thousands != "" {
			l.thousands = s.Thousands[0]
		}
		p("  # numbers: %s, which reads the most values of the number columns.", l)
	}
	for _, n := range s.Notes {
		p("  # %s.", n)
	}
	p("  # columns, as %s types them:", SchemaFile(s))
	for _, c := range s.Columns {
		req := "always blank"
		if c.Required {
			req = "never blank: required"
		}
		if c.Blanks > 0 && c.NonBlank > 0 {
			req = fmt.Sprintf("blank in %d of %d rows", c.Blanks, c.Blanks+c.NonBlank)
		}
		t := string(c.Type)
		if t == "" {
			t = "any"
		}
		p("  #   %s: %s, %s", commentText(c.Name), t, req)
		for _, n := range c.Notes {
			p("  #     %s", n)
		}
	}
	p("  - name: %s", s.Name)
	p("    file: %s", yamlText(s.File))
	if s.Sheet != "" {
		p("    sheet: %s", yamlText(s.Sheet))
	}
	if s.Format == "csv" {
		if s.Encoding != "" {
			p("    encoding: %s", s.Encoding)
		}
		p("    delimiter: %s", delimiterYAML(s.Delimiter))
	}
	if s.HeaderRow > 1 {
		p("    header_row: %d", s.HeaderRow)
	}
	p("    schema: %s", SchemaFile(s))
	var typing []string
	if s.Decimal != "" {
		typing = append(typing, "decimal: "+yamlText(s.Decimal))
	}
	if s.Thousands != "" {
		typing = append(typing, "thousands: "+yamlText(s.Thousands))
	}
	if len(s.DateLayouts) > 0 {
		typing = append(typing, "date_layouts: "+jsonText(s.DateLayouts))
	}
	if len(s.DateTimeLayouts) > 0 {
		typing = append(typing, "datetime_layouts: "+jsonText(s.DateTimeLayouts))
	}
	if len(s.TrueWords) > 0 {
		typing = append(typing, "true_words: "+jsonText(s.TrueWords), "false_words: "+jsonText(s.FalseWords))
	}
	if len(typing) > 0 {
		p("    typing:")
		for _, t := range typing {
			p("      %s", t)
		}
	}
}

func (j Job) entity(b *bytes.Buffer, s Source) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	if j.Target == "onixwork" {
		p("  # check: the endpoint (/v1/orders, /v1/order-lines, ...) and the request model's field names;")
	} else {
		p("  # check: the On Key entity type, the action (Merge, Update and Delete need an id: code(row.code))")
		p("  # and the property names On Key expects; one property per column, named after it.")
	}
	var key string
	switch {
	case s.Key2 != "":
		checked := "the rows looked at"
		if s.PairRows < s.Rows {
			checked = fmt.Sprintf("the first %d rows", s.PairRows)
		}
		p("  # userObjectId: no column is unique in the rows looked at, %s and %s together are in %s.", s.Key, s.Key2, checked)
		key = keyExpr(s, s.Key) + ` + "/" + ` + keyExpr(s, s.Key2)
	case s.Key != "":
		p("  # userObjectId: %s is unique and never blank in the rows looked at.", s.Key)
		key = keyExpr(s, s.Key)
	default:
		first := s.Columns[0].Name
		p("  # userObjectId: no column (or pair of columns) is unique in the rows looked at; %s is used,", first)
		p("  # and validate reports the records whose key repeats: key them on something unique.")
		key = keyExpr(s, first)
	}
	if len(j.Sources) > 1 {
		// A userObjectId is unique in a run, across entities: the sources' keys may overlap.
		p("  # It starts with %q so that it differs from the other entities' keys.", s.Name+":")
		key = jsonText(s.Name+":") + " + " + key
	}
	p("  - name: %s", s.Name)
	p("    source: %s", s.Name)
	if j.Target == "onixwork" {
		p("    endpoint: /v1/orders")
	} else {
		p("    entityType: %s", entityType(s.Label))
		p("    action: Create")
	}
	p("    userObjectId: %s", yamlText(key))
	p("    properties:")
	used := map[string]bool{}
	for _, c := range s.Columns {
		name := camel(c.Name)
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s%d", camel(c.Name), n)
		}
		used[name] = true
		p("      %s: %s", yamlText(name), yamlText(rowRef(c.Name)))
	}
}

// keyExpr is the expression of a key column as text.
func keyExpr(s Source, name string) string {
	for _, c := range s.Columns {
		if c.Name == name && c.Type != String {
			return "string(" + rowRef(name) + ")"
		}
	}
	return rowRef(name)
}

var exprIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var exprWords = map[string]bool{"in": true, "and": true, "or": true, "not": true, "nil": true, "true": true,
	"false": true, "matches": true, "contains": true, "startsWith": true, "endsWith": true, "let": true, "if": true, "else": true}

// rowRef is the mapping expression that reads a column: row.name, or row["a name"].
func rowRef(name string) string {
	if exprIdent.MatchString(name) && !exprWords[name] {
		return "row." + name
	}
	return "row[" + jsonText(name) + "]"
}

// camel makes a property name from a column name: "sap_id" -> "sapId", "Order No" -> "orderNo".
func camel(name string) string {
	var b strings.Builder
	up := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127:
			if b.Len() == 0 {
				b.WriteString(strings.ToLower(string(r)))
			} else if up {
				b.WriteString(strings.ToUpper(string(r)))
			} else {
				b.WriteRune(r)
			}
			up = false
		default:
			up = b.Len() > 0
		}
	}
	if b.Len() == 0 {
		return "field"
	}
	return b.String()
}

// entityType makes a starter On Key entity type from a source name: "site_types" -> "SiteType".
func entityType(name string) string {
	c := camel(name)
	c = strings.ToUpper(c[:1]) + c[1:]
	if strings.HasSuffix(c, "s") && !strings.HasSuffix(c, "ss") && !strings.HasSuffix(c, "us") && !strings.HasSuffix(c, "is") && len(c) > 3 {
		c = c[:len(c)-1]
	}
	if !exprIdent.MatchString(c) {
		return "Entity"
	}
	return c
}

// yamlText writes s as a YAML scalar: plain when that reads back as the same string, else as a
// double-quoted (JSON) string.
func yamlText(s string) string {
	switch {
	case plainYAML.MatchString(s) && !yamlSpecial[strings.ToLower(s)]:
		return s
	case !strings.ContainsAny(s, "'\\\n\r\t") && utf8.ValidString(s):
		return "'" + s + "'"
	}
	return jsonText(s)
}

var plainYAML = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_./-]*$`)

var yamlSpecial = map[string]bool{"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true, "y": true, "n": true, "null": true, "~": true}

// commentText keeps a name on its comment line: one with a line break or a tab is quoted.
func commentText(s string) string {
	if strings.ContainsAny(s, "\n\r\t") {
		return jsonText(s)
	}
	return s
}

func delimiterYAML(d rune) string {
	if d == '\t' {
		return `"\t"`
	}
	return jsonText(string(d))
}

func quoteJoin(items []string, n int) string {
	var q []string
	for i, it := range items {
		if i == n {
			q = append(q, fmt.Sprintf("and %d more", len(items)-n))
			break
		}
		if r := []rune(it); len(r) > 60 {
			it = string(r[:57]) + "..."
		}
		q = append(q, jsonText(it))
	}
	return strings.Join(q, ", ")
}
