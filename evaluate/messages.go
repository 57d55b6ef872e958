package evaluate

import (
	"errors"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// setLine sets the line of every message and returns msgs.
func setLine(msgs []record.Message, line int) []record.Message {
	for i := range msgs {
		msgs[i].Line = line
	}
	return msgs
}

// rowMessages turns a problem with the whole row (ragged, unreadable) into a message.
func rowMessages(row readers.Row) []record.Message {
	if row.Err == nil {
		return nil
	}
	var re *readers.RowError
	if errors.As(row.Err, &re) {
		m := record.Message{Code: "row", Text: re.Msg, Cell: row.Origin.String()}
		if re.Column != "" {
			m.Code, m.Property, m.Cell = "cell", re.Column, row.Origin.Cell(re.Column, re.Index)
		}
		return []record.Message{m}
	}
	return []record.Message{{Code: "row", Cell: row.Origin.String(), Text: row.Err.Error()}}
}

// mappingMessages turns a mapping error into one message per failing field.
func mappingMessages(row readers.Row, err error) []record.Message {
	var me *transforms.MapError
	if errors.As(err, &me) {
		var out []record.Message
		for _, f := range me.Fields {
			out = append(out, record.Message{Code: "mapping", Property: f.Field, Cell: row.Origin.String(), Text: f.Field + ": " + f.Msg})
		}
		if len(out) > 0 {
			return out
		}
	}
	return []record.Message{{Code: "mapping", Cell: row.Origin.String(), Text: err.Error()}}
}

// outerFields gives an exploded JSON row access to the fields of the row it came from.
func outerFields(parent *readers.Row) map[string]any {
	if parent == nil {
		return nil
	}
	m := make(map[string]any, len(parent.Columns))
	for i, c := range parent.Columns {
		if i < len(parent.Values) {
			m[c] = transforms.PlainJSON(parent.Values[i])
		}
	}
	if parent.Parent != nil {
		m["outer"] = outerFields(parent.Parent)
	}
	return m
}
