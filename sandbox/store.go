package sandbox

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// store holds the records. It is not safe for concurrent use: the Server guards it with one
// mutex, under which a request's records are applied (and rolled back) as a unit.
type store struct {
	m      *model
	recs   map[int64]*storedRecord
	byType map[*entityModel]map[int64]*storedRecord
	uniq   map[*propModel]map[string]int64 // unique property -> value key -> id
	nextID int64
}

// storedRecord is one record. It is immutable once stored: an update stores a new one, so the
// old one can be put back on rollback.
type storedRecord struct {
	id, version int64
	et          *entityModel
	uoid        string         // the userObjectId of the request that created it
	props       map[string]any // canonical property name -> string, int64, float64 or bool
}

// Record is a stored record as Records and GET /_sandbox/records give it.
type Record struct {
	ID         int64  `json:"id"`
	Version    int64  `json:"version"`
	EntityType string `json:"entityType"`
	// UserObjectID is the userObjectId of the record of the request that created it (empty for
	// seeded records).
	UserObjectID string `json:"userObjectId,omitempty"`
	// Properties holds string, int64 (integers and reference ids), float64 and bool values.
	Properties map[string]any `json:"properties"`
}

// firstID is the first id given to a created record (unless seeded ids go higher).
const firstID = 6000000001

// newStore builds the store of model m seeded with the records of c, reporting every problem
// of the seeds.
func newStore(m *model, c *Config) (*store, []fieldError) {
	st := &store{m: m, recs: map[int64]*storedRecord{}, byType: map[*entityModel]map[int64]*storedRecord{},
		uniq: map[*propModel]map[string]int64{}, nextID: firstID}
	for _, em := range m.types {
		st.byType[em] = map[int64]*storedRecord{}
		for _, p := range em.order {
			if p.unique {
				st.uniq[p] = map[string]int64{}
			}
		}
	}
	var errs []fieldError
	type refCheck struct {
		p    *propModel
		id   int64
		path []string
	}
	var refs []refCheck
	for _, name := range m.names {
		em := m.entity(name)
		for i, sr := range c.Entities[name].Records {
			path := []string{"entities", name, "records", strconv.Itoa(i)}
			add := func(msg string, sub ...string) {
				errs = append(errs, fieldError{append(slices.Clone(path), sub...), msg})
			}
			if sr.ID <= 0 {
				add("a seeded record needs a positive id", "id")
				continue
			}
			if other, ok := st.recs[sr.ID]; ok {
				add(fmt.Sprintf("id %d is also a seeded %s", sr.ID, other.et.name), "id")
				continue
			}
			r := &storedRecord{id: sr.ID, version: 1, et: em, props: map[string]any{}}
			for _, k := range sortedKeys(sr.Properties) {
				p := em.prop(k)
				if p == nil {
					add(em.name+" has no property "+k, "properties", k)
					continue
				}
				v, ok := convertScalar(p, sr.Properties[k])
				if !ok {
					add(fmt.Sprintf("%v is not a %s", sr.Properties[k], p.typ), "properties", k)
					continue
				}
				if v == nil {
					continue
				}
				if p.typ == "reference" {
					refs = append(refs, refCheck{p, v.(int64), append(slices.Clone(path), "properties", k)})
				}
				r.props[p.name] = v
			}
			for _, p := range em.order {
				if p.required && r.props[p.name] == nil {
					add("the required property "+p.name+" is missing", "properties")
				}
				if v := r.props[p.name]; p.unique && v != nil {
					if id, taken := st.taken(p, v, 0); taken {
						add(fmt.Sprintf("%s %v is also record %d's", p.name, v, id), "properties", p.name)
					}
				}
			}
			st.put(r)
			st.nextID = max(st.nextID, sr.ID+1)
		}
	}
	for _, rc := range refs {
		if r := st.recs[rc.id]; r == nil || r.et != rc.p.ref {
			errs = append(errs, fieldError{rc.path, fmt.Sprintf("no seeded %s has id %d", rc.p.ref.name, rc.id)})
		}
	}
	return st, errs
}

// put stores r (which must not be stored) and indexes it.
func (st *store) put(r *storedRecord) {
	st.recs[r.id] = r
	st.byType[r.et][r.id] = r
	for _, p := range r.et.order {
		if v, ok := r.props[p.name]; ok && p.unique && v != nil {
			st.uniq[p][valueString(v)] = r.id
		}
	}
}

// drop removes r (which must be stored) and its index entries.
func (st *store) drop(r *storedRecord) {
	delete(st.recs, r.id)
	delete(st.byType[r.et], r.id)
	for _, p := range r.et.order {
		if v, ok := r.props[p.name]; ok && p.unique && v != nil {
			if st.uniq[p][valueString(v)] == r.id {
				delete(st.uniq[p], valueString(v))
			}
		}
	}
}

// taken reports whether another record than self holds the unique value v of p, and its id.
func (st *store) taken(p *propModel, v any, self int64) (int64, bool) {
	id, ok := st.uniq[p][valueString(v)]
	return id, ok && id != self
}

// sorted returns the records of em ordered by id.
func (st *store) sorted(em *entityModel) []*storedRecord {
	out := slices.Collect(maps.Values(st.byType[em]))
	slices.SortFunc(out, func(a, b *storedRecord) int { return int(sign(a.id - b.id)) })
	return out
}

func sign(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// referrers returns the records that reference r (other than r itself), at most limit of
// them, ordered by id.
func (st *store) referrers(r *storedRecord, limit int) []*storedRecord {
	var out []*storedRecord
	for _, name := range st.m.names {
		em := st.m.entity(name)
		for _, p := range em.order {
			if p.ref != r.et {
				continue
			}
			for _, o := range st.byType[em] {
				if id, ok := o.props[p.name].(int64); ok && id == r.id && o != r {
					out = append(out, o)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b *storedRecord) int { return int(sign(a.id - b.id)) })
	return out[:min(len(out), limit)]
}

func (r *storedRecord) public() Record {
	return Record{ID: r.id, Version: r.version, EntityType: r.et.name, UserObjectID: r.uoid, Properties: maps.Clone(r.props)}
}

// tx is a transaction over the store: every change is logged so that rollback undoes them all,
// newest first. Ids handed out are not given back (like a database sequence).
type tx struct {
	st   *store
	undo []func()
}

func (st *store) begin() *tx { return &tx{st: st} }

func (t *tx) insert(r *storedRecord) {
	t.st.put(r)
	t.undo = append(t.undo, func() { t.st.drop(r) })
}

func (t *tx) replace(old, r *storedRecord) {
	t.st.drop(old)
	t.st.put(r)
	t.undo = append(t.undo, func() { t.st.drop(r); t.st.put(old) })
}

func (t *tx) remove(old *storedRecord) {
	t.st.drop(old)
	t.undo = append(t.undo, func() { t.st.put(old) })
}

// rollback undoes every change of t.
func (t *tx) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

func (t *tx) newID() int64 {
	id := t.st.nextID
	t.st.nextID++
	return id
}
