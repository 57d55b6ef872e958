package runstore

import (
	"context"
	"fmt"

	"github.com/bulkload/bulkload/record"
)

// Tally is how many records of one source, entity, group and status the store holds.
type Tally struct {
	Source, Entity string
	Group          int // the records' groupOrder
	Status         record.Status
	Records        int
}

// Tallies counts the store's records per source, entity, group and status, in the order of each
// tally's first record. It reads committed data on a connection of its own.
func (s *Store) Tallies(ctx context.Context) ([]Tally, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT source, entity, group_order, status, count(*), min(seq)
		FROM records GROUP BY source, entity, group_order, status ORDER BY min(seq)`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var out []Tally
	for rows.Next() {
		var t Tally
		var first int64
		if err := rows.Scan(&t.Source, &t.Entity, &t.Group, &t.Status, &t.Records, &first); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// FurtherLines returns, for each record that sel selects and that was built from several rows,
// the lines of its rows after the first, in line order. sel's Order does not matter. It reads
// committed data on a connection of its own.
func (s *Store) FurtherLines(ctx context.Context, sel Selection) (map[int64][]int, error) {
	where, args := sel.where()
	rows, err := s.rdb.QueryContext(ctx, `SELECT rr.seq, rr.origin_line FROM record_rows rr
		JOIN records ON records.seq = rr.seq WHERE `+where+` ORDER BY rr.seq, rr.origin_line, rr.rowid`, args...)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int{}
	for rows.Next() {
		var seq int64
		var line int
		if err := rows.Scan(&seq, &line); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out[seq] = append(out[seq], line)
	}
	return out, rows.Err()
}
