package runstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// insertRows is the number of rows one multi-row INSERT carries: far fewer statements for
// SQLite to run, well under its limit of bound parameters.
const insertRows = 64

// inserter buffers rows for one table and writes them with multi-row INSERTs prepared once.
type inserter struct {
	table   string
	columns []string
	pending []any // len(columns) values per row
	full    *sql.Stmt
	one     *sql.Stmt
}

func newInserter(ctx context.Context, db *sql.DB, table string, columns ...string) (*inserter, error) {
	in := &inserter{table: table, columns: columns}
	var err error
	if in.full, err = db.PrepareContext(ctx, in.statement(insertRows)); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	if in.one, err = db.PrepareContext(ctx, in.statement(1)); err != nil {
		in.full.Close()
		return nil, fmt.Errorf("run store: %w", err)
	}
	return in, nil
}

func (in *inserter) statement(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(in.columns)), ",") + ")"
	return "INSERT INTO " + in.table + "(" + strings.Join(in.columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add buffers one row, given as one value per column. It reports whether a full batch is waiting.
func (in *inserter) add(values ...any) bool {
	in.pending = append(in.pending, values...)
	return len(in.pending) >= insertRows*len(in.columns)
}

// flush writes the buffered rows in tx.
func (in *inserter) flush(ctx context.Context, tx *sql.Tx) error {
	width := len(in.columns)
	for rest := in.pending; len(rest) > 0; {
		stmt, n := in.one, width
		if len(rest) >= insertRows*width {
			stmt, n = in.full, insertRows*width
		}
		if _, err := tx.StmtContext(ctx, stmt).ExecContext(ctx, rest[:n]...); err != nil {
			return fmt.Errorf("run store: %s: %w", in.table, err)
		}
		rest = rest[n:]
	}
	clear(in.pending) // let the strings go
	in.pending = in.pending[:0]
	return nil
}

func (in *inserter) close() error {
	return errors.Join(in.full.Close(), in.one.Close())
}

// Insert stores entries as they are, each with its final status and messages, in order, with
// their further rows (Entry.Further): no rule is applied and no row is joined to another. It
// gives each entry the next seq (setting entries[i].Seq) and writes them with multi-row INSERTs,
// committing every batchSize rows; what is left is committed by the next Flush or Close.
func (s *Store) Insert(ctx context.Context, entries []record.Entry) error {
	for i := range entries {
		e := &entries[i]
		e.Seq = s.nextSeq
		s.nextSeq++
		if err := s.buffered(ctx, s.addRecord(e.Seq, e)); err != nil {
			return err
		}
	}
	return nil
}
