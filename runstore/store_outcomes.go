package runstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// Sendable is a record on its way to the target: what a request needs of it.
type Sendable struct {
	Seq          int64
	UserObjectID string
	Entity       string
	Action       string
	Endpoint     string
	GroupOrder   int
	Parent       string        // the parent record's userObjectId
	Status       record.Status // in the run store when read
	Body         []byte
	Env          []byte // the typed row of a record to map again (evaluate.Row.Encode); nil for most records
}

// Outcome is what one request did to one record, as SetOutcomes records it: its Status
// (record.Succeeded, record.Failed, record.Unknown, or record.Pending for a record put back
// unsent), its messages and what the target said of it. It is a record.Result, so a pass of
// package submit hands the results a target read to the store as they are.
type Outcome = record.Result

// MarkPending turns every valid record into a pending one, a run being about to send them, and
// returns how many there are.
func (s *Store) MarkPending(ctx context.Context) (int, error) {
	res, err := s.exec(ctx, `UPDATE records SET status = 'pending' WHERE status = 'valid'`)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	return int(n), s.Flush()
}

// unanswered is what a record says while its request is out: if the run dies before the answer
// is recorded, the store holds it unknown with no messages, which reads as this, and --resume
// reconciles it.
var unanswered = record.Message{Code: "unanswered",
	Text: "sent, but the run stopped before the answer was recorded; --resume checks it with the target"}

// MarkSending records, in one committed transaction, that the records seqs are about to be sent:
// they are unknown (with no messages: unanswered) until their outcome replaces the mark. Whatever
// happens to the process after this, the store never holds as pending a record that may have
// reached the target.
func (s *Store) MarkSending(ctx context.Context, seqs []int64) error {
	ids, err := json.Marshal(seqs)
	if err != nil {
		return err
	}
	// Marks are written through to the disk: with synchronous FULL the commit waits for the
	// write-ahead log's fsync, so that not even a power cut turns a record that may have been sent
	// back into a pending one. Answers are not (NORMAL): one lost leaves its records unknown,
	// which --resume reconciles. The setting cannot change inside a transaction.
	if err := s.synchronous(ctx, "FULL"); err != nil {
		return err
	}
	if _, err := s.exec(ctx, `UPDATE records SET status = 'unknown', messages = '[]'
		WHERE seq IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
		return err
	}
	if err := s.countMark(ctx); err != nil {
		return err
	}
	if err := s.Flush(); err != nil {
		return err
	}
	if err := s.markCounted(); err != nil {
		return err
	}
	return s.synchronous(ctx, "NORMAL")
}

// PendingGroups returns the groupOrders that have pending records, ascending.
func (s *Store) PendingGroups(ctx context.Context) ([]int, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT group_order FROM records WHERE status = 'pending' ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var gs []int
	for rows.Next() {
		var g int
		if err := rows.Scan(&g); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		gs = append(gs, g)
	}
	return gs, rows.Err()
}

// SetOutcomes records the outcomes of one request in one transaction. A record's messages become
// those of its outcome; its attempts add up over runs.
func (s *Store) SetOutcomes(ctx context.Context, outs []Outcome) error {
	// Statements are prepared outside a transaction: the store's one connection is the
	// transaction's while it is open.
	if err := s.Flush(); err != nil {
		return err
	}
	stmts := map[int]*sql.Stmt{}
	for _, n := range []int{min(len(outs), OutcomeRows), len(outs) % OutcomeRows} {
		if n == 0 {
			continue
		}
		stmt, err := s.outcomeStatement(ctx, n)
		if err != nil {
			return err
		}
		stmts[n] = stmt
	}
	if err := s.begin(ctx); err != nil {
		return err
	}
	for len(outs) > 0 {
		n := min(len(outs), OutcomeRows)
		stmt := stmts[n]
		args := make([]any, 0, n*8)
		for _, o := range outs[:n] {
			var server, version any
			if o.ServerID != "" {
				server = o.ServerID
			}
			if o.Version != 0 {
				version = o.Version
			}
			args = append(args, o.Seq, o.Status, server, version, o.HTTPStatus, o.Attempts, o.DurationMS, encodeMessages(o.Messages))
		}
		if _, err := s.tx.StmtContext(ctx, stmt).ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		outs = outs[n:]
	}
	return s.Flush()
}

// OutcomeRows is the most outcomes one UPDATE statement carries: SetOutcomes writes more in
// several, so a writer that gathers outcomes gathers a multiple of it.
const OutcomeRows = 100

// outcomeStatement returns the UPDATE of n records' outcomes, prepared once per n: one statement
// for a whole answer costs SQLite far less than one per record.
func (s *Store) outcomeStatement(ctx context.Context, n int) (*sql.Stmt, error) {
	if stmt := s.outcomeStmts[n]; stmt != nil {
		return stmt, nil
	}
	q := `UPDATE records SET status = v.status, server_id = v.server_id, version = v.version,
		http_status = v.http_status, attempts = records.attempts + v.attempts, duration_ms = v.duration_ms,
		messages = v.messages
		FROM (SELECT column1 AS seq, column2 AS status, column3 AS server_id, column4 AS version,
			column5 AS http_status, column6 AS attempts, column7 AS duration_ms, column8 AS messages
			FROM (VALUES ` + strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?),", n), ",") + `)) AS v
		WHERE records.seq = v.seq`
	stmt, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	s.outcomeStmts[n] = stmt
	return stmt, nil
}

// RetryFailed puts the records that failed, and those skipped for a parent's sake, back to
// pending, their messages cleared; ResolveParents skips again the children of parents that stay
// invalid.
func (s *Store) RetryFailed(ctx context.Context) error {
	if _, err := s.exec(ctx, `UPDATE records SET status = 'pending', messages = '[]' WHERE status IN ('failed', 'skipped')`); err != nil {
		return err
	}
	return s.Flush()
}

// CountStatus returns how many records have status.
func (s *Store) CountStatus(ctx context.Context, status record.Status) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM records WHERE status = ?`, status).Scan(&n); err != nil {
		return 0, fmt.Errorf("run store: %w", err)
	}
	return n, nil
}

// Entry is r as the targets and package submit take it.
func (r Sendable) Entry() record.Entry {
	return record.Entry{Seq: r.Seq, UserObjectID: r.UserObjectID, Entity: r.Entity, Action: r.Action,
		Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Status: r.Status, Body: r.Body}
}
