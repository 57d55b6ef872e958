package evaluate

import "github.com/bulkload/bulkload/record"

// Rows are the typed rows of the records a run must map again once their parent is sent, by
// entity and userObjectId: the first row's of each, as the run store keeps. They are held until
// dropped: memory grows with the number of such records. Keep is not safe for concurrent use;
// Row is, once keeping has ended.
type Rows map[string]*Row

// Keep keeps e's typed row (e.Remap), unless e has none or a row of its record is kept already.
func (rs Rows) Keep(e Entry) {
	if e.Remap == nil {
		return
	}
	if k := rowsKey(e.Record.Entity, e.Record.UserObjectID); rs[k] == nil {
		rs[k] = e.Remap
	}
}

// Row is the row kept of the record of entity with userObjectId uoid; nil when none is (a nil
// Rows keeps none).
func (rs Rows) Row(entity, uoid string) *Row { return rs[rowsKey(entity, uoid)] }

// rowsKey is the key of a record's row in Rows.
func rowsKey(entity, uoid string) string { return entity + "\x00" + uoid }

// Parented is Child as a function of the parent's userObjectId and outcome (runstore.Remap):
// the child's typed row is the one rows kept, or, when none, the one its Env holds (the run
// store's, for a record another process evaluated).
func (r *Remapper) Parented(rows Rows) func(child record.Entry, parentUOID string, parent record.Outcome) record.Entry {
	return func(child record.Entry, parentUOID string, parent record.Outcome) record.Entry {
		return r.Child(child, rows.Row(child.Entity, child.UserObjectID),
			Parent{UserObjectID: parentUOID, ServerID: parent.ServerID, Version: parent.Version})
	}
}
