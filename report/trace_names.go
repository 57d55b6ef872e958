package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
)

// lookupPath finds On Key's property paths in a message's text: "{Site->SiteType_Id}".
var lookupPath = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_]*(?:->[A-Za-z][A-Za-z0-9_]*)+`)

// serverProperties returns the target's names of the properties an untraced message is about:
// its Property (On Key's properties list, an Onix Work field or memberNames, joined by ", "),
// else the On Key property paths its text names. Nil for a message already on a cell or about
// no property.
func serverProperties(m record.Message) []string {
	if m.Cell != "" || m.Line != 0 || m.Field != "" {
		return nil
	}
	if m.Property != "" {
		return strings.Split(m.Property, ", ")
	}
	return lookupPath.FindAllString(m.Text, -1)
}

// traced turns message m about the target's properties names into messages on the cells of row
// (nil when the row was not found again) that the mapping fields read.
func traced(m record.Message, names []string, fields map[string][]string, entityType string, row *readers.Row, nameFile bool) []record.Message {
	var columns []string
	for _, name := range names {
		for _, c := range fieldColumns(name, fields, entityType) {
			if !slices.Contains(columns, c) {
				columns = append(columns, c)
			}
		}
	}
	field := strings.Join(names, ", ")
	if len(columns) == 0 {
		m.Field = field
		m.Text += " (bulkload found no source column for " + field + ")"
		return []record.Message{m}
	}
	out := make([]record.Message, 0, len(columns))
	for _, c := range columns {
		t := m
		t.Field, t.Property = field, c
		if row != nil {
			t.Line = row.Origin.Line
			t.Cell = row.Cell(c)
			if nameFile && row.Origin.Sheet != "" && strings.HasPrefix(t.Cell, row.Origin.Sheet+"!") {
				t.Cell = row.Origin.File + " " + t.Cell
			}
			if v, ok := row.Value(c); ok && v != nil {
				t.Value = record.Shorten(fmt.Sprint(v))
			}
		}
		out = append(out, t)
	}
	return out
}

// fieldColumns returns the columns of the mapping fields that the target's property name is
// about. On Key names a property "Site->SiteType_Id" (or "siteTypeId"), Onix Work a member
// "customerName", "Lines[0].Qty" or "$.lines[0].qty"; each is compared with the mapping's
// property names without case and underscores, on its first segment. A name that is the
// entity type alone ("Site", the record's id) is about the mapping's id.
func fieldColumns(name string, fields map[string][]string, entityType string) []string {
	name = strings.TrimSpace(name)
	if parts := strings.Split(name, "->"); len(parts) > 1 {
		name = parts[1]
	} else if entityType != "" && strings.EqualFold(name, entityType) {
		return fields["id"]
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "$"), ".")
	want := fold(firstSegment(name))
	if want == "" {
		return nil
	}
	var out []string
	for f, cols := range fields {
		prop, ok := strings.CutPrefix(f, "properties.")
		if !ok || fold(firstSegment(prop)) != want {
			continue
		}
		for _, c := range cols {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	if len(out) == 0 && (want == "id" || want == "code") {
		out = fields["id"]
	}
	return out
}

// firstSegment is a property path up to its first member or index: "lines" of "lines[0].qty".
func firstSegment(s string) string {
	if i := strings.IndexAny(s, ".["); i >= 0 {
		return s[:i]
	}
	return s
}

// fold drops case and underscores: "SiteType_Id" and "siteTypeId" are the same property.
func fold(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}
