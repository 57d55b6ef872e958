package runstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// metaDepNotes is the meta key holding, as a JSON array, what LinkConverters could not link:
// the summary's notes.
const metaDepNotes = "dependency_notes"

// A producer is a record that converters may refer to: its group and the values of the
// properties some converter looks up.
type producer struct {
	seq    int64
	group  int
	values map[string]string
}

// ConverterRef is what one ReferenceLookup converter of an On Key record looks up
// (record.ConverterRef).
type ConverterRef = record.ConverterRef

// ConverterRefs returns the converters of an On Key record body whose entity is one of earlier,
// the entity types that records of earlier groups have. The caller knows the bodies' converters;
// the store only links them.
type ConverterRefs func(body []byte, earlier []string) []ConverterRef

// LinkConverters makes the dependencies of On Key records on the records of earlier groups that
// their ReferenceLookup converters refer to (refs says how a converter names its entity): a Site whose siteTypeId is code("FAC") depends on the SiteType record of an earlier
// group whose code is "FAC". ResolveParents then treats a dependency as it treats a parent, and
// the On Key submitter holds a record back until its dependencies have succeeded. A converter
// that several records of earlier groups match, or whose entity cannot be told, makes no
// dependency; the notes say so, once per entity and property, and are kept for the summary.
// Call it once every record is added and ResolveKeys has run. It returns how many links it made.
func (s *Store) LinkConverters(ctx context.Context, refs ConverterRefs) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	groups, err := s.typeGroups(ctx)
	if err != nil || len(groups) < 2 {
		return 0, err
	}
	type consumer struct {
		seq    int64
		entity string
		group  int
		ref    ConverterRef
	}
	var consumers []consumer
	wanted := map[string]map[string]bool{} // entity type -> properties looked up
	notes := map[string]int{}
	err = s.scanBodies(ctx, `r.kind = 'onkey' AND b.body LIKE '%ReferenceLookup%'`, nil, func(seq int64, entity, _ string, group int, body []byte) {
		for _, ref := range refs(body, groups.before(group)) {
			if ref.Unlinkable != "" {
				notes[fmt.Sprintf("%s.%s: no dependency made: %s", entity, ref.Property, ref.Unlinkable)]++
				continue
			}
			consumers = append(consumers, consumer{seq, entity, group, ref})
			if wanted[ref.EntityType] == nil {
				wanted[ref.EntityType] = map[string]bool{}
			}
			for _, p := range ref.Props {
				wanted[ref.EntityType][p] = true
			}
		}
	})
	if err != nil {
		return 0, err
	}
	// The records of the types looked up, indexed by the value of each property looked up.
	index := map[string]map[string]map[string][]int{} // type -> property -> value -> producers
	var prods []producer
	for t, props := range wanted {
		index[t] = map[string]map[string][]int{}
		err := s.scanBodies(ctx, `r.kind = 'onkey' AND r.entity_type = ?`, []any{t}, func(seq int64, _, _ string, group int, body []byte) {
			var rec struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if json.Unmarshal(body, &rec) != nil {
				return
			}
			p := producer{seq: seq, group: group, values: map[string]string{}}
			for name := range props {
				if v, ok := record.ScalarText(rec.Properties[name]); ok {
					p.values[name] = v
					if index[t][name] == nil {
						index[t][name] = map[string][]int{}
					}
					index[t][name][v] = append(index[t][name][v], len(prods))
				}
			}
			prods = append(prods, p)
		})
		if err != nil {
			return 0, err
		}
	}
	links := 0
	for _, c := range consumers {
		var match []int
		for _, i := range index[c.ref.EntityType][c.ref.Props[0]][c.ref.Values[0]] {
			p := prods[i]
			if p.group >= c.group || p.seq == c.seq {
				continue
			}
			all := true
			for k, name := range c.ref.Props {
				all = all && p.values[name] == c.ref.Values[k]
			}
			if all {
				match = append(match, i)
			}
		}
		switch len(match) {
		case 0:
			continue // the target holds it already, or nothing does: the server says which
		case 1:
			if _, err := s.exec(ctx, `INSERT INTO deps(seq, dep, property, ref) VALUES(?,?,?,?)`,
				c.seq, prods[match[0]].seq, c.ref.Property, c.ref.Shown); err != nil {
				return 0, err
			}
			links++
		default:
			notes[fmt.Sprintf("%s.%s: no dependency made: more than one record of %s in earlier groups has what it looks up",
				c.entity, c.ref.Property, c.ref.EntityType)]++
		}
	}
	if err := s.saveDepNotes(ctx, notes); err != nil {
		return 0, err
	}
	return links, s.Flush()
}

// saveDepNotes keeps notes (text -> records) in the meta table, sorted, each with its count.
func (s *Store) saveDepNotes(ctx context.Context, notes map[string]int) error {
	if len(notes) == 0 {
		return nil
	}
	var out []string
	for text, n := range notes {
		out = append(out, fmt.Sprintf("%s (%d %s)", text, n, plural(n, "record", "records")))
	}
	sort.Strings(out)
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return s.SetMeta(ctx, metaDepNotes, string(b))
}

// DependencyNotes returns what LinkConverters could not link, for the summary.
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

// typeGroups lists the On Key entity types of the store by the groups that have them.
type typeGroups map[int][]string

// before returns the entity types that records of groups before g have.
func (tg typeGroups) before(g int) []string {
	var out []string
	for og, types := range tg {
		if og < g {
			for _, t := range types {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

func (s *Store) typeGroups(ctx context.Context) (typeGroups, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT group_order, entity_type FROM records WHERE kind = 'onkey' AND entity_type <> ''`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	tg := typeGroups{}
	for rows.Next() {
		var g int
		var t string
		if err := rows.Scan(&g, &t); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		tg[g] = append(tg[g], t)
	}
	return tg, rows.Err()
}

// scanBodies calls fn for each record matching where (over records r and bodies b) with its body.
func (s *Store) scanBodies(ctx context.Context, where string, args []any, fn func(seq int64, entity, entityType string, group int, body []byte)) error {
	rows, err := s.query(ctx, `SELECT r.seq, r.entity, r.entity_type, r.group_order, b.body FROM records r JOIN bodies b ON b.seq = r.seq
		WHERE b.body IS NOT NULL AND `+where+` ORDER BY r.seq`, args...)
	if err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var entity, et string
		var g int
		var body sql.RawBytes
		if err := rows.Scan(&seq, &entity, &et, &g, &body); err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		fn(seq, entity, et, g, body)
	}
	return rows.Err()
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
