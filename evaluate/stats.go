package evaluate

import (
	"slices"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// SourceStats counts what was read from one source.
type SourceStats struct {
	Rows int `json:"rows"`
	// columns are the source's column (or JSON field) names seen, the union over its rows.
	columns map[string]bool
	last    []string // the Columns of the last row counted, which rows usually share
	// Unused are the columns no mapping of the source reads, sorted: what a run would drop.
	Unused []string
	// Warnings are what the reader noticed that is no error (an empty sheet).
	Warnings []string
}

// findUnused sets st.Unused from the columns seen and the source's mappings; exploded names the
// columns another source explodes into rows of their own (Orderlines), which are read there.
func (st *SourceStats) findUnused(mappings []*transforms.Mapping, exploded map[string]bool) {
	for c := range st.columns {
		if record.IsFixColumn(c) || exploded[c] || slices.ContainsFunc(mappings, func(m *transforms.Mapping) bool { return m.Uses(c) }) {
			continue
		}
		st.Unused = append(st.Unused, c)
	}
	slices.Sort(st.Unused)
}

// see adds a row's columns to the source's.
func (st *SourceStats) see(cols []string) {
	if len(cols) > 0 && len(cols) == len(st.last) && &cols[0] == &st.last[0] {
		return // the same header as the row before
	}
	if st.columns == nil {
		st.columns = map[string]bool{}
	}
	for _, c := range cols {
		st.columns[c] = true
	}
	st.last = cols
}

// finishStats sets, once every row is read, what the sources' stats say beyond their counts:
// the unused columns and the readers' warnings.
func (j *Job) finishStats(stats map[string]*SourceStats) {
	for _, s := range j.sources {
		exploded := map[string]bool{}
		for _, other := range j.sources {
			if other != s && other.spec.File == s.spec.File && len(other.spec.Explode) > 0 {
				exploded[other.spec.Explode[0]] = true
			}
		}
		if !s.validationOnly { // no mapping reads a column of a validation-only job: none is dropped
			stats[s.spec.Name].findUnused(s.mappings, exploded)
		}
		if w, ok := s.reader.(interface{ Warnings() []string }); ok {
			stats[s.spec.Name].Warnings = w.Warnings()
		}
	}
}
