package runstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// CarryOver copies into a store just evaluated the outcomes of the run store at oldPath that
// stand, matching records by entity and userObjectId:
//   - succeeded and unknown records keep their outcome whatever their row says now (they are
//     never sent again; unknown ones were sent and could not be reconciled); a succeeded record
//     whose row changed says so;
//   - failed records keep their outcome when their record is the same as when it failed, unless
//     retryFailed; a changed one is sent again;
//   - succeeded and unknown records whose row is gone from the files are kept as they were, saying
//     so, so that the report still holds everything sent.
func (s *Store) CarryOver(ctx context.Context, oldPath string, retryFailed bool) error {
	if err := s.Flush(); err != nil {
		return err
	}
	// ATTACH cannot run inside a transaction; the store's one connection keeps it.
	if _, err := s.db.ExecContext(ctx, `ATTACH DATABASE ? AS old`, "file:"+oldPath+"?mode=ro"); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	defer s.db.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE old`)
	retry := 0
	if retryFailed {
		retry = 1
	}
	changed := `json_insert(o.messages, '$[#]', json_object('code', 'changed', 'severity', 'info',
		'text', 'its row changed since it was sent; succeeded records are not sent again'))`
	gone := `json_insert(CASE WHEN o.status = 'unknown' AND o.messages = '[]' THEN json_array(json(?)) ELSE o.messages END,
		'$[#]', json_object('code', 'removed', 'severity', 'info', 'text', 'its row is no longer in the source; kept as the run left it'))`
	sameBody := `(SELECT body FROM old.bodies WHERE seq = o.seq) IS (SELECT body FROM main.bodies WHERE seq = main.records.seq)`
	// The records kept because their rows are gone are numbered after the new ones, in their order.
	kept := `FROM old.records AS o
		WHERE o.status IN ('succeeded', 'unknown') AND o.uoid <> ''
		AND NOT EXISTS (SELECT 1 FROM main.records n WHERE n.entity = o.entity AND n.uoid = o.uoid)`
	unansweredJSON, _ := json.Marshal(unanswered) // strings only: cannot fail
	last := s.nextSeq - 1
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE main.records SET status = o.status, server_id = o.server_id, version = o.version,
			http_status = o.http_status, attempts = o.attempts, duration_ms = o.duration_ms,
			messages = CASE WHEN o.status = 'succeeded' AND NOT ` + sameBody + ` THEN ` + changed + ` ELSE o.messages END
			FROM old.records AS o
			WHERE o.entity = main.records.entity AND o.uoid = main.records.uoid AND o.uoid <> ''
			AND (o.status IN ('succeeded', 'unknown') OR (o.status = 'failed' AND ? = 0 AND ` + sameBody + `))`, []any{retry}},
		// bodies first: the records inserted next would change what kept selects
		{`INSERT INTO main.bodies (seq, body, env)
			SELECT ? + ROW_NUMBER() OVER (ORDER BY o.seq), b.body, b.env ` + strings.Replace(kept, "FROM old.records AS o",
			"FROM old.records AS o LEFT JOIN old.bodies AS b ON b.seq = o.seq", 1), []any{last}},
		{`INSERT INTO main.records (seq, uoid, entity, kind, entity_type, action, endpoint, group_order, parent, is_distinct,
			status, source, origin, origin_line, origin_path, messages, server_id, version, http_status, attempts, duration_ms)
			SELECT ? + ROW_NUMBER() OVER (ORDER BY o.seq),
			o.uoid, o.entity, o.kind, o.entity_type, o.action, o.endpoint, o.group_order, o.parent, o.is_distinct,
			o.status, o.source, o.origin, o.origin_line, o.origin_path, ` + gone + `,
			o.server_id, o.version, o.http_status, o.attempts, o.duration_ms ` + kept, []any{last, string(unansweredJSON)}},
	} {
		if _, err := s.exec(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	if err := s.Flush(); err != nil {
		return err
	}
	return s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM records`).Scan(&s.nextSeq)
}
