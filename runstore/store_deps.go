package runstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// metaDepNotes is the meta key holding, as a JSON array, the converters Resolve could not link
// (Amendments.Notes): the summary's notes.
const metaDepNotes = "dependency_notes"

// ConverterRef is what one ReferenceLookup converter of an On Key record looks up
// (record.ConverterRef).
type ConverterRef = record.ConverterRef

// ConverterRefs returns the converters of an On Key record body whose entity is one of earlier,
// the entity types that records of earlier groups have. The caller knows the bodies' converters;
// the store only links them.
type ConverterRefs func(body []byte, earlier []string) []ConverterRef

// DependencyNotes returns the converters Resolve could not link (PutDependencies), for the
// summary.
func (s *Store) DependencyNotes(ctx context.Context) ([]string, error) {
	v, err := s.Meta(ctx, metaDepNotes)
	if err != nil || v == "" {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, fmt.Errorf("run store: meta %s: %w", metaDepNotes, err)
	}
	return out, nil
}

// plural is one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// depWhy says why a record cannot go for the sake of its dependency: the lookup (ref), and the
// record that produces it: userObjectId, row and status. Its message's Property names the
// property holding the converter.
func depWhy(ref, uoid, origin string, status record.Status) string {
	where := origin
	if uoid != "" {
		where = fmt.Sprintf("userObjectId %q, %s", uoid, strings.TrimSpace(origin))
	}
	is := string(status)
	switch status {
	case record.Unknown:
		is = "unknown: it may or may not have been applied"
	case record.Pending:
		is = "not sent yet"
	}
	return fmt.Sprintf("refers to %s (%s), which is %s", ref, where, is)
}
