package schemas

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
)

// onixWorkFS holds the Onix Work OpenAPI request models, one JSON Schema (draft 2020-12) per
// model, as data: correct them here when the real Swagger is at hand.
//
//go:embed onixwork/*.schema.json
var onixWorkFS embed.FS

// onixWorkSuffix ends every model's file name: onixwork/<Model>.schema.json.
const onixWorkSuffix = ".schema.json"

// OnixWorkModel returns the JSON Schema of the Onix Work request model name ("OrderInfo",
// "OrderLineInfo", "OrderLineItemsInfo", "OrderLineItemSerialInfo", "OrderLinePropertiesInfo",
// "TokenRequest"), and false when there is no such model. A model may refer to another by its
// file name ("OrderLineItemSerialInfo.schema.json"): add every model to one compiler under
// OnixWorkModelURL(name) before compiling any. The caller must not modify the result.
func OnixWorkModel(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, false
	}
	b, err := onixWorkFS.ReadFile("onixwork/" + name + onixWorkSuffix)
	if err != nil {
		return nil, false
	}
	return b, true
}

// OnixWorkModels lists the names of the embedded Onix Work models, sorted.
func OnixWorkModels() []string {
	entries, _ := fs.ReadDir(onixWorkFS, "onixwork")
	var out []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), onixWorkSuffix); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// OnixWorkModelURL is the stable resource URL of a model, under which relative references
// between the models resolve: "mem://onixwork/<name>.schema.json".
func OnixWorkModelURL(name string) string { return "mem://onixwork/" + name + onixWorkSuffix }
