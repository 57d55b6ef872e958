package report

import (
	"bytes"
	"encoding/json"
	"html/template"
)

// rowFields are the fields of one row of report.html's table, in the order encodeRows writes them
// and script.js reads them.
var rowFields = []string{"cell", "column", "value", "status", "entity", "record", "rule", "message", "source"}

// encodeRows encodes the findings as the JSON the page's script renders: one array of strings per
// finding, in rowFields order. encoding/json writes <, > and & as \u escapes (and U+2028/U+2029
// too), so no value can end the <script> element that holds the data or open a comment in it.
func encodeRows(fs []Finding) (template.JS, error) {
	var b bytes.Buffer
	b.Grow(len(fs) * 160)
	b.WriteString(`{"fields":`)
	fields, err := json.Marshal(rowFields)
	if err != nil {
		return "", err
	}
	b.Write(fields)
	b.WriteString(`,"rows":[`)
	row := make([]string, len(rowFields))
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		cell := f.Cell
		column := f.Column
		if !f.OnCell() {
			column = ""
		}
		row[0], row[1], row[2], row[3], row[4] = cell, column, f.Value, f.Status, f.Entity
		row[5], row[6], row[7], row[8] = f.UserObjectID, f.Code, f.Text, f.Source
		enc, err := json.Marshal(row)
		if err != nil {
			return "", err
		}
		b.Write(enc)
	}
	b.WriteString("]}")
	return template.JS(b.String()), nil
}
