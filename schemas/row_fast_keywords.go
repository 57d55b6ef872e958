package schemas

import (
	"reflect"
	"slices"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The compiled schema's fields the fast check reads, at the top level and in a property.
var (
	rootKeywords = []string{"Types", "Required", "Properties", "AdditionalProperties"}
	leafKeywords = []string{"Types", "Format", "Constant", "Enum", "MinLength", "MaxLength", "Pattern",
		"Minimum", "ExclusiveMinimum", "Maximum", "ExclusiveMaximum"}
)

// inertFields are the compiled schema's fields that never make a value invalid on their own:
// annotations, and ContainsEval, which only qualifies contains.
var inertFields = []string{"Location", "Draft", "Title", "Description", "Default", "Comment",
	"ReadOnly", "WriteOnly", "Examples", "Deprecated", "ContainsEval"}

// unsetValues are the fields whose "not specified" value is not Go's zero value.
var unsetValues = map[string]int64{"MinProperties": -1, "MaxProperties": -1, "MinItems": -1, "MaxItems": -1,
	"MinContains": 1, "MaxContains": -1, "MinLength": -1, "MaxLength": -1}

// bareSchema reports whether s sets no keyword but the given ones and inert fields. Every other
// exported field of the compiled schema must hold its "not specified" value, so a keyword the
// fast check does not know, including one a later version of the library adds, makes it step
// aside. (The unexported fields follow exported ones: the format function from Format, the
// content decoders from ContentEncoding and ContentMediaType, the enum message from Enum.)
func bareSchema(s *jsonschema.Schema, keywords []string) bool {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || slices.Contains(keywords, f.Name) || slices.Contains(inertFields, f.Name) {
			continue
		}
		fv := v.Field(i)
		if unset, ok := unsetValues[f.Name]; ok {
			if fv.Int() != unset {
				return false
			}
			continue
		}
		if !fv.IsZero() {
			return false
		}
	}
	return true
}

// typesAre reports whether a schema's types admit only the given one (or are not declared).
func typesAre(types []string, want string) bool {
	return len(types) == 0 || len(types) == 1 && types[0] == want
}
