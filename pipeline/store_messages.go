package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
)

// messagesOf returns the messages the store holds for the records seqs (committed), by seq.
func (s *Store) messagesOf(ctx context.Context, seqs []int64) (map[int64][]Message, error) {
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
	out := make(map[int64][]Message, len(seqs))
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
