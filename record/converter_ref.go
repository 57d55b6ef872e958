package record

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ConverterRef is what one ReferenceLookup converter of an On Key record looks up: records of
// EntityType whose properties Props have the values Values, in that order. When a record of the
// same job in an earlier group has those values, it is a dependency of the record holding the
// converter.
type ConverterRef struct {
	Property   string   // the property holding the converter: "siteTypeId"
	EntityType string   // the entity it names: "SiteType"; empty when Unlinkable
	Props      []string // the referred record's properties, camelCase: "code"
	Values     []string
	Shown      string // the lookup as messages name it: SiteType "ST-2"
	// Unlinkable says why no dependency can be made: the summary's notes.
	Unlinkable string
}

// ScalarText is the text of a JSON string, number or boolean, as a converter's lookup value and
// the property it is matched with are compared; false for anything else.
func ScalarText(raw json.RawMessage) (string, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number, bool:
		return fmt.Sprint(v), true
	}
	return "", false
}
