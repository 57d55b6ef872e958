package maptest

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/schemas"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/transforms"
)

// Coverage is what a job's mappings leave out: per source, the file's columns and the schema's
// properties that no mapping reads; for Onix Work, the request model's required fields that no
// entity's properties set.
type Coverage struct {
	Sources []SourceCoverage
	Unset   []UnsetField
	// Notes are what could not be checked, saying why (a source that could not be opened).
	Notes []string
}

// SourceCoverage is the coverage of one source.
type SourceCoverage struct {
	Source string
	// UnreadColumns are the columns of the file's header that no mapping of the source reads, in
	// header order: a run drops them.
	UnreadColumns []string
	// UnmappedProperties are the schema's properties that no mapping of the source reads, in
	// schema order.
	UnmappedProperties []string
}

// UnsetField is a field an Onix Work request model requires that an entity does not set.
type UnsetField struct {
	Entity, Endpoint, Model string
	// Field is the required field, or the alternatives of which one is required ("a or b").
	Field string
}

// onixWorkModels names the request model of each Onix Work endpoint, as API-FACTS.md lists them.
var onixWorkModels = map[string]string{
	"/v1/orders":                      "OrderInfo",
	"/v1/order-lines":                 "OrderLineInfo",
	"/v1/order-lines/items":           "OrderLineItemsInfo",
	"/v1/order-lines/properties":      "OrderLinePropertiesInfo",
	"/v1/order-lines/form-properties": "OrderLinePropertiesInfo",
}

// Coverage checks what the job's mappings read and set. It opens each CSV and XLSX source to read
// its header; a source that cannot be opened becomes a note, not an error.
func (t *MapTester) Coverage() Coverage {
	var cov Coverage
	for _, src := range t.job.Sources {
		sp := t.sources[src.Name]
		sc := SourceCoverage{Source: src.Name}
		exploded := map[string]bool{}
		for _, other := range t.job.Sources {
			if other.Name != src.Name && other.File == src.File && len(other.Explode) > 0 {
				exploded[other.Explode[0]] = true
			}
		}
		used := func(c string) bool {
			return c == record.ErrorsColumn || exploded[c] || slices.ContainsFunc(sp.Mappings(), func(m *transforms.Mapping) bool { return m.Uses(c) })
		}
		if f := t.format[src.Name]; f == "csv" || f == "xlsx" {
			header, err := t.Header(src.Name)
			if err != nil {
				cov.Notes = append(cov.Notes, fmt.Sprintf("source %s: columns not checked: %v", src.Name, err))
			}
			for _, c := range header {
				if !used(c) {
					sc.UnreadColumns = append(sc.UnreadColumns, c)
				}
			}
		}
		for _, c := range sp.Schema().Columns() {
			if !used(c.Name) {
				sc.UnmappedProperties = append(sc.UnmappedProperties, c.Name)
			}
		}
		cov.Sources = append(cov.Sources, sc)
	}
	if t.job.Target.Kind == spec.OnixWork {
		for _, e := range t.job.Entities {
			unset, note := unsetRequired(e)
			cov.Unset = append(cov.Unset, unset...)
			if note != "" {
				cov.Notes = append(cov.Notes, note)
			}
		}
	}
	return cov
}

// sourceColumns opens the source and returns its header.
func sourceColumns(src *spec.Source) ([]string, error) {
	r, err := readers.Open(src)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if h, ok := r.(readers.Headed); ok {
		return h.Header(), nil
	}
	return nil, nil
}

// unsetRequired returns the fields e's request model requires (its "required", and one of each
// "anyOf"/"oneOf" of required lists) that e's properties do not set; note says why e could not be
// checked.
func unsetRequired(e spec.Entity) ([]UnsetField, string) {
	model, ok := onixWorkModels[e.Endpoint]
	if !ok {
		return nil, fmt.Sprintf("entity %s: endpoint %s has no known request model: required fields not checked", e.Name, e.Endpoint)
	}
	b, _ := schemas.OnixWorkModel(model)
	var doc struct {
		Required []string                      `json:"required"`
		AnyOf    []struct{ Required []string } `json:"anyOf"`
		OneOf    []struct{ Required []string } `json:"oneOf"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Sprintf("entity %s: model %s: %v", e.Name, model, err)
	}
	if e.Properties != nil && e.Properties.Fields == nil && e.Properties.Expr != "" {
		return nil, fmt.Sprintf("entity %s: properties is one expression: the fields it sets are not checked", e.Name)
	}
	set := map[string]bool{}
	if e.Properties != nil {
		for _, f := range e.Properties.Fields {
			set[f.Name] = true
		}
	}
	var out []UnsetField
	for _, r := range doc.Required {
		if !set[r] {
			out = append(out, UnsetField{Entity: e.Name, Endpoint: e.Endpoint, Model: model, Field: r})
		}
	}
	for _, alts := range [][]struct{ Required []string }{doc.AnyOf, doc.OneOf} {
		var fields []string
		satisfied := len(alts) == 0
		for _, alt := range alts {
			fields = append(fields, alt.Required...)
			if !slices.ContainsFunc(alt.Required, func(r string) bool { return !set[r] }) {
				satisfied = true
			}
		}
		if !satisfied {
			out = append(out, UnsetField{Entity: e.Name, Endpoint: e.Endpoint, Model: model, Field: joinOr(fields)})
		}
	}
	return out, ""
}

func joinOr(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " or "
		}
		s += n
	}
	return s
}
