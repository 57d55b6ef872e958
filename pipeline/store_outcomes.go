package pipeline

import (
	"context"
	"fmt"
)

// Sendable is a record on its way to the target: what a request needs of it.
type Sendable struct {
	Seq        int64
	UOID       string
	Entity     string
	Action     string
	Endpoint   string
	GroupOrder int
	Body       []byte
}

// Outcome of one record's request, as the store records it.
type RecordOutcome struct {
	Seq        int64
	Status     string // Succeeded, Failed or Unknown
	ServerID   string
	Version    int64
	HTTPStatus int
	Attempts   int
	DurationMS int64
	Messages   []Message
}

// MarkPending turns every valid record into a pending one: a run is about to send them.
func (s *Store) MarkPending(ctx context.Context) error {
	if _, err := s.exec(ctx, `UPDATE records SET status = 'pending' WHERE status = 'valid'`); err != nil {
		return err
	}
	return s.Flush()
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

// NextPending returns up to n pending records of group after seq, in seq order. Paging by seq
// keeps no cursor open between calls, so outcomes can be written in between.
func (s *Store) NextPending(ctx context.Context, group int, after int64, n int) ([]Sendable, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, uoid, action, body FROM records
		WHERE status = 'pending' AND group_order = ? AND seq > ? ORDER BY seq LIMIT ?`, group, after, n)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var out []Sendable
	for rows.Next() {
		var r Sendable
		var body string
		if err := rows.Scan(&r.Seq, &r.UOID, &r.Action, &body); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		r.Body = []byte(body)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetOutcomes records the outcomes of one request in one transaction. A record's messages become
// those of its outcome; its attempts add up over runs.
func (s *Store) SetOutcomes(ctx context.Context, outs []RecordOutcome) error {
	if err := s.Flush(); err != nil {
		return err
	}
	for _, o := range outs {
		var server any
		if o.ServerID != "" {
			server = o.ServerID
		}
		var version any
		if o.Version != 0 {
			version = o.Version
		}
		if _, err := s.exec(ctx, `UPDATE records SET status = ?, server_id = ?, version = ?, http_status = ?,
			attempts = attempts + ?, duration_ms = ?, messages = ? WHERE seq = ?`,
			o.Status, server, version, o.HTTPStatus, o.Attempts, o.DurationMS, encodeMessages(o.Messages), o.Seq); err != nil {
			return err
		}
	}
	return s.Flush()
}
