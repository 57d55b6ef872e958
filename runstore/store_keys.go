package runstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// keyed is a stored record that shares its userObjectId with another.
type keyed struct {
	seq      int64
	entity   string
	distinct bool
	status   record.Status
	body     string
	row      record.RowRef
	origin   string
	messages []record.Message
	rows     []keyedRow // the further rows Add joined to it
	changed  bool
	mergedTo int64 // the record it joins, when it is a further row of that record's key
}

type keyedRow struct {
	record.RowRef
	origin string
}

// ResolveKeys applies the cross-row rules once every record is added, to each userObjectId that
// more than one record has, taking the records in the order of their rows:
//   - a distinct record (one per key, built from many rows) that the same entity produced again
//     is merged into the first: its rows become rows of the first, whose record is made invalid
//     by the later row's own problems, or, naming the rows and the fields, when their bodies
//     disagree;
//   - any other record with a userObjectId already taken is a duplicate: it and every record kept
//     before it under that userObjectId are invalid, each naming the others' rows.
//
// It returns how many userObjectIds it looked at.
func (s *Store) ResolveKeys(ctx context.Context) (int, error) {
	if err := s.Flush(); err != nil {
		return 0, err
	}
	s.heads = map[string]head{}
	uoids, err := s.sharedKeys(ctx)
	if err != nil {
		return 0, err
	}
	for _, uoid := range uoids {
		recs, err := s.keyedRecords(ctx, uoid)
		if err != nil {
			return 0, err
		}
		applyKeyRules(uoid, recs)
		if err := s.writeKeyed(ctx, recs); err != nil {
			return 0, err
		}
	}
	return len(uoids), s.Flush()
}

// applyKeyRules decides, for the records of one userObjectId in row order, which are merged into
// which and which are invalid.
func applyKeyRules(uoid string, recs []*keyed) {
	var kept []*keyed
	for _, x := range recs {
		if len(kept) == 0 {
			kept = append(kept, x)
			continue
		}
		first := kept[0]
		if x.distinct && first.distinct && first.entity == x.entity {
			x.mergedTo = first.seq
			var add []record.Message
			if x.status == record.Invalid {
				add = x.messages
			} else if x.body != first.body && first.body != "" {
				for _, r := range append([]keyedRow{{x.row, x.origin}}, x.rows...) {
					for _, d := range DiffJSON(first.body, x.body) {
						add = append(add, record.Message{Code: "conflict", Property: d.Path, Value: record.Shorten(d.B),
							Text: fmt.Sprintf("rows disagree on %s: %s has %s, %s has %s", d.Path, first.origin, d.A, r.origin, d.B)})
					}
				}
			}
			if len(add) > 0 {
				first.status, first.messages, first.changed = record.Invalid, append(first.messages, add...), true
			}
			continue
		}
		var others []string
		for _, k := range kept {
			k.status, k.changed = record.Invalid, true
			k.messages = append(k.messages, record.Message{Code: "duplicate", Property: "userObjectId", Value: record.Shorten(uoid),
				Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, x.origin)})
			others = append(others, k.origin)
		}
		x.status, x.changed = record.Invalid, true
		x.messages = append(x.messages, record.Message{Code: "duplicate", Property: "userObjectId", Value: record.Shorten(uoid),
			Text: fmt.Sprintf("userObjectId %q is also produced by %s", uoid, strings.Join(others, ", "))})
		kept = append(kept, x)
	}
}

// sharedKeys returns the userObjectIds that more than one record has.
func (s *Store) sharedKeys(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT uoid FROM records WHERE uoid <> '' GROUP BY uoid HAVING COUNT(*) > 1`)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// keyedRecords loads the records of uoid in row order, with their further rows.
func (s *Store) keyedRecords(ctx context.Context, uoid string) ([]*keyed, error) {
	rows, err := s.query(ctx, `SELECT seq, entity, is_distinct, status, (SELECT body FROM bodies b WHERE b.seq = records.seq), source, origin, origin_line,
		origin_path, messages FROM records WHERE uoid = ? ORDER BY seq`, uoid)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	var recs []*keyed
	for rows.Next() {
		k := &keyed{}
		var body sql.NullString
		var messages string
		if err := rows.Scan(&k.seq, &k.entity, &k.distinct, &k.status, &body, &k.row.Source, &k.origin, &k.row.Line,
			&k.row.Path, &messages); err != nil {
			rows.Close()
			return nil, fmt.Errorf("run store: %w", err)
		}
		k.body, k.messages = body.String, decodeMessages(messages)
		recs = append(recs, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	for _, k := range recs {
		if k.distinct {
			if k.rows, err = s.furtherRows(ctx, k.seq); err != nil {
				return nil, err
			}
		}
	}
	return recs, nil
}

// furtherRows returns the rows joined to record seq besides its first.
func (s *Store) furtherRows(ctx context.Context, seq int64) ([]keyedRow, error) {
	rows, err := s.query(ctx, `SELECT source, origin, origin_line, origin_path FROM record_rows WHERE seq = ? ORDER BY rowid`, seq)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	var out []keyedRow
	for rows.Next() {
		var r keyedRow
		if err := rows.Scan(&r.Source, &r.origin, &r.Line, &r.Path); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// writeKeyed stores what applyKeyRules decided: a merged record's rows move to the record it
// joins and the merged record goes; a changed record gets its status and messages.
func (s *Store) writeKeyed(ctx context.Context, recs []*keyed) error {
	for _, k := range recs {
		switch {
		case k.mergedTo != 0:
			if _, err := s.exec(ctx, `INSERT INTO record_rows(seq, source, origin, origin_line, origin_path) VALUES(?,?,?,?,?)`,
				k.mergedTo, k.row.Source, k.origin, k.row.Line, k.row.Path); err != nil {
				return err
			}
			if _, err := s.exec(ctx, `UPDATE record_rows SET seq = ? WHERE seq = ?`, k.mergedTo, k.seq); err != nil {
				return err
			}
			if _, err := s.exec(ctx, `DELETE FROM records WHERE seq = ?`, k.seq); err != nil {
				return err
			}
			if _, err := s.exec(ctx, `DELETE FROM bodies WHERE seq = ?`, k.seq); err != nil {
				return err
			}
		case k.changed:
			if _, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, k.status, encodeMessages(k.messages), k.seq); err != nil {
				return err
			}
		}
	}
	return nil
}
