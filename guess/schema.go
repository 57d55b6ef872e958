package guess

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// property is one column of a row schema, in the order JSON Schema readers expect.
type property struct {
	Type   Type     `json:"type,omitempty"`
	Format string   `json:"format,omitempty"`
	Enum   []string `json:"enum,omitempty"`
}

// Schema renders the source's row JSON Schema: one property per column, in column order, with
// its type (date and date-time as strings with a format), its enum, and the required columns.
func (s *Source) Schema() []byte {
	var b bytes.Buffer
	title := s.File
	if s.Sheet != "" {
		title += " " + s.Sheet
	}
	fmt.Fprintf(&b, "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"title\": %s,\n  \"type\": \"object\",\n", jsonText(title+" (guessed by bulkload init; check it)"))
	var req []string
	for _, c := range s.Columns {
		if c.Required {
			req = append(req, c.Name)
		}
	}
	if len(req) > 0 {
		fmt.Fprintf(&b, "  \"required\": %s,\n", jsonText(req))
	}
	b.WriteString("  \"properties\": {")
	for i, c := range s.Columns {
		p := property{Type: c.Type, Enum: c.Enum}
		if c.Type == Date || c.Type == DateTime {
			p.Type, p.Format = String, string(c.Type)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "\n    %s: %s", jsonText(c.Name), jsonText(p))
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

// jsonText marshals v without HTML escaping; v is always marshalable here.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings, string slices and property values always encode
	}
	return string(bytes.TrimRight(b.Bytes(), "\n"))
}
