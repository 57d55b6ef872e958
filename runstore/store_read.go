package runstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// ResolveParents applies the parent rules once every record is stored: a record whose parent is
// invalid, failed or skipped is skipped (transitively, so an item of a line of a refused order is
// skipped too), and a record whose parent no row produced is invalid. Dependencies from
// converters (Resolve's Deps) are parents too: a record with an invalid, failed or skipped one is
// skipped. An Onix Work record whose child records are all invalid is skipped (skipChildless).
// It returns how many records it changed.
func (s *Store) ResolveParents(ctx context.Context) (int, error) {
	total := 0
	// Parents that do not exist at all.
	n, err := s.markChildren(ctx, record.Invalid, "parent",
		`parent <> '' AND status = 'valid' AND NOT EXISTS (SELECT 1 FROM records p WHERE p.uoid = c.parent)`,
		func(parent string, _ record.Status) string {
			return fmt.Sprintf("parent %q is not produced by any row", parent)
		})
	if err != nil {
		return 0, err
	}
	total += n
	for {
		n, err := s.markChildren(ctx, record.Skipped, "parent",
			`parent <> '' AND status IN ('valid', 'pending')
			 AND EXISTS (SELECT 1 FROM records p WHERE p.uoid = c.parent AND p.status IN ('invalid', 'failed', 'skipped'))`,
			func(parent string, status record.Status) string {
				return fmt.Sprintf("parent %q is %s", parent, status)
			})
		if err != nil {
			return 0, err
		}
		nd, err := s.skipDependents(ctx)
		if err != nil {
			return 0, err
		}
		nc, err := s.skipChildless(ctx)
		if err != nil {
			return 0, err
		}
		if n+nd+nc == 0 {
			return total, nil
		}
		total += n + nd + nc
	}
}

// markChildren sets status on the records matching where (over records c) and appends a message
// saying why.
func (s *Store) markChildren(ctx context.Context, status record.Status, code, where string, why func(parent string, parentStatus record.Status) string) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.seq, c.parent, c.messages,
		COALESCE((SELECT p.status FROM records p WHERE p.uoid = c.parent ORDER BY p.seq LIMIT 1), '')
		FROM records c WHERE `+where)
	if err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	type change struct {
		seq      int64
		messages string
	}
	var changes []change
	for rows.Next() {
		var seq int64
		var parent, messages string
		var pstatus record.Status
		if err := rows.Scan(&seq, &parent, &messages, &pstatus); err != nil {
			rows.Close()
			return 0, fmt.Errorf("run store: %w", err)
		}
		ms := append(decodeMessages(messages), record.Message{Code: code, Property: "parent", Value: record.Shorten(parent), Text: why(parent, pstatus)})
		changes = append(changes, change{seq, encodeMessages(ms)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	for _, c := range changes {
		if _, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, status, c.messages, c.seq); err != nil {
			return 0, err
		}
	}
	return len(changes), s.Flush()
}

// Records calls fn for every record that sel selects, in its order, stopping at the first error
// fn returns.
//
// It commits what is written, then reads on a connection of its own. Once the store is flushed
// and while nothing writes, several Records and Bodies may run at once (the reports do).
func (s *Store) Records(ctx context.Context, sel Selection, fn func(record.Entry) error) error {
	if err := s.Flush(); err != nil {
		return err
	}
	q, args := sel.query(`records.seq, uoid, entity, kind, entity_type, action, endpoint, group_order, parent, status,
		(SELECT body FROM bodies b WHERE b.seq = records.seq),
		source, origin, origin_line, origin_path, messages, COALESCE(server_id, ''), COALESCE(version, 0),
		COALESCE(http_status, 0), attempts, COALESCE(duration_ms, 0),
		COALESCE((SELECT group_concat(origin || char(9) || source || char(9) || origin_line || char(9) || origin_path, char(10)
			ORDER BY origin_line, rowid) FROM record_rows rr WHERE rr.seq = records.seq), '')`,
		"records")
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r record.Entry
		var body sql.NullString
		var messages, more string
		if err := rows.Scan(&r.Seq, &r.UserObjectID, &r.Entity, &r.Kind, &r.EntityType, &r.Action, &r.Endpoint, &r.GroupOrder,
			&r.Parent, &r.Status, &body, &r.Source, &r.Origin, &r.OriginLine, &r.OriginPath, &messages,
			&r.ServerID, &r.Version, &r.HTTPStatus, &r.Attempts, &r.DurationMS, &more); err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		if body.Valid {
			r.Body = []byte(body.String)
		}
		if r.Messages = decodeMessages(messages); r.Status == record.Unknown && len(r.Messages) == 0 {
			r.Messages = []record.Message{unanswered}
		}
		r.Rows = []string{r.Origin}
		if more != "" {
			for _, row := range strings.Split(more, "\n") {
				f := strings.SplitN(row, "\t", 4)
				if len(f) != 4 {
					return fmt.Errorf("run store: record %d: a further row of %d fields", r.Seq, len(f))
				}
				line, _ := strconv.Atoi(f[2])
				r.Rows = append(r.Rows, f[0])
				r.Further = append(r.Further, record.Row{Source: f[1], Line: line, Path: f[3], Origin: f[0]})
			}
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Bodies calls fn for every record that sel selects, in its order, with only what a request
// needs of it: lighter than Records. Like Records, it reads committed data on a connection of
// its own, so the store may be written while it runs (the writes after it began are not seen).
func (s *Store) Bodies(ctx context.Context, sel Selection, fn func(Sendable) error) error {
	if err := s.Flush(); err != nil {
		return err
	}
	return s.CommittedBodies(ctx, sel, fn)
}

// CommittedBodies is Bodies without the flush: it sees only what is committed, and may run
// while another goroutine writes.
func (s *Store) CommittedBodies(ctx context.Context, sel Selection, fn func(Sendable) error) error {
	q, args := sel.query("records.seq, uoid, entity, action, endpoint, group_order, parent, status, body, env",
		"records LEFT JOIN bodies ON bodies.seq = records.seq")
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Sendable
		var body, env sql.RawBytes
		if err := rows.Scan(&r.Seq, &r.UserObjectID, &r.Entity, &r.Action, &r.Endpoint, &r.GroupOrder, &r.Parent, &r.Status, &body, &env); err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		r.Body, r.Env = body, env // valid until the next row: fn must not keep them
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SucceededOutcome returns the server's id and version for the succeeded record uoid, from a
// read connection.
func (s *Store) SucceededOutcome(ctx context.Context, uoid string) (Outcome, error) {
	var o Outcome
	var id sql.NullString
	var version sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT seq, server_id, version FROM records WHERE uoid = ? AND status = 'succeeded'
		ORDER BY seq LIMIT 1`, uoid).Scan(&o.Seq, &id, &version)
	if err != nil {
		return o, fmt.Errorf("run store: the outcome of %s: %w", uoid, err)
	}
	o.Status, o.ServerID, o.Version = record.Succeeded, id.String, version.Int64
	return o, nil
}

// ServerIDs returns the server ids the run recorded, by record.
func (s *Store) ServerIDs(ctx context.Context) (map[int64]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT seq, server_id FROM records WHERE server_id IS NOT NULL AND server_id <> ''`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	ids := map[int64]string{}
	for rows.Next() {
		var seq int64
		var id string
		if err := rows.Scan(&seq, &id); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		ids[seq] = id
	}
	return ids, rows.Err()
}
