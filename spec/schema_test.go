package spec

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/schemas"
)

// TestJobSchemaLint checks the embedded job schema's own rules: it compiles, has its $id, every
// object that lists properties refuses unknown keys, and every key has a description (directly
// or through its $ref) for editors to show.
func TestJobSchemaLint(t *testing.T) {
	if _, err := jobSchema(); err != nil {
		t.Fatalf("the job schema does not compile: %v", err)
	}
	var root map[string]any
	if err := json.Unmarshal(schemas.JobSchema(), &root); err != nil {
		t.Fatal(err)
	}
	if root["$id"] != jobSchemaURL {
		t.Errorf("$id = %v, want %s", root["$id"], jobSchemaURL)
	}
	var walk func(at string, s map[string]any)
	walk = func(at string, s map[string]any) {
		if props, ok := s["properties"].(map[string]any); ok {
			if s["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties is %v, want false", at, s["additionalProperties"])
			}
			for name, p := range props {
				ps, _ := p.(map[string]any)
				desc, _ := ps["description"].(string)
				if ref, ok := ps["$ref"].(string); ok && desc == "" {
					target, _ := lookupPointer(root, strings.TrimPrefix(ref, "#")).(map[string]any)
					desc, _ = target["description"].(string)
				}
				if desc == "" {
					t.Errorf("%s/properties/%s has no description", at, name)
				}
				walk(at+"/properties/"+name, ps)
			}
		}
		if items, ok := s["items"].(map[string]any); ok {
			walk(at+"/items", items)
		}
	}
	walk("#", root)
	defs, _ := root["$defs"].(map[string]any)
	for name, d := range defs {
		walk("#/$defs/"+name, d.(map[string]any))
	}
}
