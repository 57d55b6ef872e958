package transforms

import (
	"slices"
	"strings"
)

// FieldColumns returns, for each field of the mapping that reads its row by column name, the
// columns it reads in the order it reads them. A field is named by its place in the entity
// without the entity: "properties.siteTypeId", "properties.lines[0].qty", "id",
// "userObjectId". Columns read through a computed name (row[expr]) are not among them.
func (m *Mapping) FieldColumns() map[string][]string {
	out := make(map[string][]string, len(m.columns.byPath))
	for path, cols := range m.columns.byPath {
		field := path
		if i := strings.Index(path, "]."); strings.HasPrefix(path, "entities[") && i > 0 {
			field = path[i+2:]
		}
		out[field] = slices.Clone(cols)
	}
	return out
}
