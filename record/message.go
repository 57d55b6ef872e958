package record

import (
	"strconv"
	"strings"
)

// Message is one problem (or note) about a record: a cell that could not be typed, a schema
// rule it broke, a mapping that failed, a cross-row conflict or, later, the server's answer.
type Message struct {
	// Code is the rule or server code: "type", a JSON Schema keyword such as "format" or
	// "required", "mapping", "duplicate", "conflict", "row", "parent", or a server code such as
	// "Core_NotNullValidator".
	Code string `json:"code"`
	// Property is the source column, or the mapping field for mapping errors.
	Property string `json:"property,omitempty"`
	// Cell names the cell where the user can find it: "Sites!C12" or "orders.csv:12:qty".
	Cell string `json:"cell,omitempty"`
	// Value is the raw value involved, cut to a readable length.
	Value string `json:"value,omitempty"`
	// Line is the source line (or Excel row) of the row the message is about; 0 for a message
	// about a record as a whole, such as a conflict between its rows. A fix file shows each row
	// the messages of its own line and those of its records.
	Line int `json:"line,omitempty"`
	// Field is the target's name of the property a server message is about ("Site->SiteType_Id",
	// "customerName"), kept when the message is traced to the cells the property is built from;
	// Property is then the source column.
	Field    string `json:"field,omitempty"`
	Text     string `json:"message"`
	Severity string `json:"severity,omitempty"`
}

// String renders the message for a report cell: "Sites!C12: must be >= 1"; a server message
// traced to its cell names the column and the value too: `Sites!D7 permission_tree "NOPE": ...`.
func (m Message) String() string {
	if m.Field != "" && m.Cell != "" {
		where := m.Cell
		if !strings.HasSuffix(m.Cell, ":"+m.Property) { // a CSV cell names its column
			where += " " + m.Property
		}
		if m.Value != "" {
			where += " " + strconv.Quote(m.Value)
		}
		return where + ": " + m.Text
	}
	where := m.Cell
	if where == "" {
		where = m.Property
	}
	if where == "" {
		return m.Text
	}
	return where + ": " + m.Text
}

// Shorten cuts a value for messages and reports to 80 characters, ending it with "…" when cut.
func Shorten(s string) string {
	const max = 80
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
