package runstore

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// Selection chooses records of the store and the order they come in. The zero Selection is every
// record in seq order (the order of the rows that produced them); each field set narrows it, and
// a record is selected when it satisfies them all.
type Selection struct {
	// Statuses selects the records with one of these statuses; none: any status.
	Statuses []record.Status
	// Groups selects the records of one of these groupOrders; none: any group.
	Groups []int
	// Parents selects the records whose parent is the record of one of these userObjectIds;
	// none: any parent, or none.
	Parents []string
	// ParentSucceeded selects the records without a parent and those whose parent succeeded.
	ParentSucceeded bool
	// NotHeld leaves out the records with a dependency (Resolve's Deps) that has not succeeded:
	// those the On Key submitter holds back.
	NotHeld bool
	// Seqs, when not nil, selects the records of these seqs only.
	Seqs []int64
	// HasMessages selects the records that hold a message.
	HasMessages bool
	// Noted selects the records that read with a message: those that hold one, and the unknown
	// ones (Records gives an unknown record without one the message that says it is unanswered).
	Noted bool
	// Order is the order the records come in.
	Order Order
}

// Order is the order selected records come in; records that it ranks alike come in seq order.
// The zero Order is seq order.
type Order struct {
	byGroup bool
	depth   map[string]int
}

// ByGroup orders records by groupOrder, then seq.
var ByGroup = Order{byGroup: true}

// ByDepth orders records by the depth of their entity (depth maps an entity name to the number of
// parent entities above it; an entity it does not name is at depth 0), then seq: each entity
// after its parent entity.
func ByDepth(depth map[string]int) Order { return Order{depth: depth} }

// Only selects the records of one status.
func Only(status record.Status) Selection { return Selection{Statuses: []record.Status{status}} }

// where renders the selection as an SQL condition over the table records (named so, not
// aliased), with its arguments; "1" when it selects every record.
func (sel Selection) where() (string, []any) {
	var conds []string
	var args []any
	in := func(column string, n int) string {
		return column + " IN (" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
	}
	if len(sel.Statuses) > 0 {
		conds = append(conds, in("records.status", len(sel.Statuses)))
		for _, s := range sel.Statuses {
			args = append(args, string(s))
		}
	}
	if len(sel.Groups) > 0 {
		conds = append(conds, in("records.group_order", len(sel.Groups)))
		for _, g := range sel.Groups {
			args = append(args, g)
		}
	}
	if len(sel.Parents) > 0 {
		conds = append(conds, in("records.parent", len(sel.Parents)))
		for _, p := range sel.Parents {
			args = append(args, p)
		}
	}
	if sel.ParentSucceeded {
		conds = append(conds, "(records.parent = '' OR records.parent IN (SELECT p.uoid FROM records p WHERE p.status = 'succeeded'))")
	}
	if sel.NotHeld {
		conds = append(conds, "NOT "+heldBack)
	}
	if sel.Seqs != nil {
		ids, _ := json.Marshal(sel.Seqs) // integers: cannot fail
		conds = append(conds, "records.seq IN (SELECT value FROM json_each(?))")
		args = append(args, string(ids))
	}
	if sel.HasMessages {
		conds = append(conds, "records.messages != '[]'")
	}
	if sel.Noted {
		conds = append(conds, "(records.messages != '[]' OR records.status = 'unknown')")
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// orderBy renders the order as an SQL ordering over the table records, with its arguments.
func (o Order) orderBy() (string, []any) {
	switch {
	case o.byGroup:
		return "records.group_order, records.seq", nil
	case len(o.depth) > 0:
		entities := make([]string, 0, len(o.depth))
		for e := range o.depth {
			entities = append(entities, e)
		}
		slices.Sort(entities)
		var b strings.Builder
		var args []any
		b.WriteString("CASE records.entity")
		for _, e := range entities {
			b.WriteString(" WHEN ? THEN ?")
			args = append(args, e, o.depth[e])
		}
		b.WriteString(" ELSE 0 END, records.seq")
		return b.String(), args
	}
	return "records.seq", nil
}

// query renders a SELECT of columns from from (which names the table records so) for the
// selection, in its order, with the arguments in the order the placeholders come.
func (sel Selection) query(columns, from string) (string, []any) {
	where, args := sel.where()
	order, orderArgs := sel.Order.orderBy()
	return "SELECT " + columns + " FROM " + from + " WHERE " + where + " ORDER BY " + order, append(args, orderArgs...)
}
