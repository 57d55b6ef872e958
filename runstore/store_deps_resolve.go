package runstore

import (
	"context"
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// skipDependents skips the records still to go (valid or pending) with a dependency
// (Resolve's Deps) that is invalid, failed or skipped, each naming the dependency: which
// property refers to it, and its entity, userObjectId and row. It returns how many it changed.
func (s *Store) skipDependents(ctx context.Context) (int, error) {
	return s.markDependents(ctx, record.Skipped, "dependency", `p.status IN ('invalid', 'failed', 'skipped')`,
		depWhy)
}

// HoldDependents notes on the pending records of group g with a dependency that has not
// succeeded (its outcome is unknown, or it was not sent) that they are held back: the On Key
// submitter does not send them (Selection.NotHeld), and a resume sends them once the dependency has
// succeeded. It returns how many records are held.
func (s *Store) HoldDependents(ctx context.Context, g int) (int, error) {
	return s.markDependents(ctx, record.Pending, "held", `c.group_order = ? AND p.status NOT IN ('succeeded', 'invalid', 'failed', 'skipped')`,
		func(ref, uoid, origin string, status record.Status) string {
			return "held back, not sent: it " + depWhy(ref, uoid, origin, status) +
				"; --resume settles it, and sends this record once it has succeeded"
		}, g)
}

// heldBack is the SQL condition (over records) of a record with a dependency that has not
// succeeded: the On Key submitter leaves such a record pending.
const heldBack = `EXISTS (SELECT 1 FROM deps d JOIN records p ON p.seq = d.dep WHERE d.seq = records.seq AND p.status <> 'succeeded')`

// markDependents sets status on the records still to go (c) whose dependencies (p) match where,
// replacing the notes of an earlier hold with one message per such dependency.
func (s *Store) markDependents(ctx context.Context, status record.Status, code, where string, why func(ref, uoid, origin string, status record.Status) string, args ...any) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.seq, c.messages, d.property, d.ref, p.uoid, p.origin, p.status
		FROM records c JOIN deps d ON d.seq = c.seq JOIN records p ON p.seq = d.dep
		WHERE c.status IN ('valid', 'pending') AND `+where+` ORDER BY c.seq, d.property`, args...)
	if err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	var order []int64
	msgs := map[int64][]record.Message{}
	for rows.Next() {
		var seq int64
		var messages, property, ref, uoid, origin string
		var pstatus record.Status
		if err := rows.Scan(&seq, &messages, &property, &ref, &uoid, &origin, &pstatus); err != nil {
			rows.Close()
			return 0, fmt.Errorf("run store: %w", err)
		}
		ms, seen := msgs[seq]
		if !seen {
			order = append(order, seq)
			for _, m := range decodeMessages(messages) {
				if m.Code != "held" {
					ms = append(ms, m)
				}
			}
		}
		msgs[seq] = append(ms, record.Message{Code: code, Property: property, Value: record.Shorten(ref), Text: why(ref, uoid, origin, pstatus)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	for _, seq := range order {
		if _, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, status, encodeMessages(msgs[seq]), seq); err != nil {
			return 0, err
		}
	}
	return len(order), s.Flush()
}
