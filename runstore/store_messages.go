package runstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// MessagesOf returns the messages the store holds for the records seqs (committed), by seq.
func (s *Store) MessagesOf(ctx context.Context, seqs []int64) (map[int64][]record.Message, error) {
	if err := s.Flush(); err != nil {
		return nil, err
	}
	ids, err := json.Marshal(seqs)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT seq, messages FROM records WHERE seq IN (SELECT value FROM json_each(?))`, string(ids))
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	out := make(map[int64][]record.Message, len(seqs))
	for rows.Next() {
		var seq int64
		var msgs string
		if err := rows.Scan(&seq, &msgs); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out[seq] = decodeMessages(msgs)
	}
	return out, rows.Err()
}

// SetMessages replaces the messages of the record seq.
func (s *Store) SetMessages(ctx context.Context, seq int64, ms []record.Message) error {
	_, err := s.exec(ctx, `UPDATE records SET messages = ? WHERE seq = ?`, encodeMessages(ms), seq)
	return err
}
