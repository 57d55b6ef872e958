package runstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	_ "modernc.org/sqlite" // the run store's driver: pure Go, no cgo

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/transforms"
)

// FileName is the run store's file name inside the run directory.
const FileName = "run.db"

const schemaSQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  seq          INTEGER PRIMARY KEY,  -- order of the rows that produced them
  uoid         TEXT NOT NULL,        -- userObjectId; '' when it could not be computed
  entity       TEXT NOT NULL,        -- the spec's entity (mapping) name
  kind         TEXT NOT NULL,        -- onkey | onixwork
  entity_type  TEXT NOT NULL DEFAULT '',
  action       TEXT NOT NULL DEFAULT '',
  endpoint     TEXT NOT NULL DEFAULT '',
  group_order  INTEGER NOT NULL DEFAULT 0,
  parent       TEXT NOT NULL DEFAULT '',  -- the parent record's userObjectId
  is_distinct  INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL,        -- valid | invalid | skipped | succeeded | failed | unknown | pending
  source       TEXT NOT NULL,        -- the spec's source name
  origin       TEXT NOT NULL,        -- where the first row is: "sites.xlsx Sites!12"
  origin_line  INTEGER NOT NULL,
  origin_path  TEXT NOT NULL DEFAULT '',
  messages     TEXT NOT NULL DEFAULT '[]',  -- JSON array of messages; unknown with none: unanswered
  server_id    TEXT,
  version      INTEGER,
  http_status  INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0,
  duration_ms  INTEGER
);
CREATE INDEX IF NOT EXISTS records_uoid ON records(uoid);
CREATE INDEX IF NOT EXISTS records_parent ON records(parent);
-- what a request needs of each record, apart from the records so that the updates of their
-- status, many while sending, rewrite small rows
CREATE TABLE IF NOT EXISTS bodies (
  seq          INTEGER PRIMARY KEY,  -- the record's
  body         TEXT,                 -- the record as it goes into a request (JSON)
  env          TEXT                  -- {row, outer} to map it again once its parent is sent (parent.id)
);
-- the further rows of a record built from several rows (distinct entities)
CREATE TABLE IF NOT EXISTS record_rows (
  seq          INTEGER NOT NULL REFERENCES records(seq),
  source       TEXT NOT NULL,
  origin       TEXT NOT NULL,
  origin_line  INTEGER NOT NULL,
  origin_path  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS record_rows_seq ON record_rows(seq);
-- the records an On Key record's converters refer to (store_deps.go)
CREATE TABLE IF NOT EXISTS deps (
  seq          INTEGER NOT NULL,     -- the record whose converter refers
  dep          INTEGER NOT NULL,     -- the record of an earlier group that produces what it refers to
  property     TEXT NOT NULL,        -- the property holding the converter
  ref          TEXT NOT NULL         -- the code or key it looks up, as the report shows it
);
CREATE INDEX IF NOT EXISTS deps_seq ON deps(seq);
`

// Store is the run store: one SQLite database in the run directory holding one row per record.
// It is written by one goroutine only (the collector); its methods are not safe for concurrent
// use, except those that read committed data on connections of their own (CommittedBodies,
// SucceededOutcome, ServerIDs, Tallies, FurtherLines; and Records, Bodies and
// MessagesOf once the store is flushed and while nothing writes).
type Store struct {
	path string
	db   *sql.DB // the one connection that writes
	rdb  *sql.DB // read-only connections for reports, which read what is committed in parallel
	tx   *sql.Tx
	n    int // rows written in the open transaction

	outcomeStmts map[int]*sql.Stmt // UPDATEs of n records' outcomes, by n (SetOutcomes)

	records *inserter // buffered INSERTs of new records
	bodies  *inserter // and of their bodies
	rows    *inserter // buffered INSERTs of the further rows of distinct records
	nextSeq int64
	// sendChildless names the entities with send_without_children (ResolveParents).
	sendChildless map[string]bool

	// What check found and BeginSending recorded (store_check.go).
	opened    bool     // the store says it is open for sending: not closed cleanly since
	complete  bool     // the store holds what it recorded
	marks     int64    // MarkSending transactions committed, ever
	marksFile *os.File // MarksFile, once a mark is written
}

// Open opens (creating if needed) the run store at path. It checks the store first
// (SQLite's quick_check; for a run that began sending, that it holds what it recorded then, see
// BeginSending) and refuses one that is damaged or incomplete with a *DamagedError.
func Open(ctx context.Context, path string) (*Store, error) {
	return openStore(ctx, path, false)
}

// OpenReading is Open for a store that is only read (a reconcile, which changes nothing): it
// opens one that holds less than it recorded too, never a damaged one.
func OpenReading(ctx context.Context, path string) (*Store, error) {
	return openStore(ctx, path, true)
}

func openStore(ctx context.Context, path string, tolerateIncomplete bool) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)"
	s, err := openCheckedDB(ctx, path, dsn, tolerateIncomplete)
	if err != nil {
		return nil, err
	}
	if err := s.open(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	if s.rdb, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)"); err != nil {
		s.Close()
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(4)
	return s, nil
}

// storeLayout is the version of schemaSQL, kept in the store's user_version: a store of another
// layout (from another bulkload) is refused rather than misread.
const storeLayout = 2

func (s *Store) open(ctx context.Context) error {
	var layout, tables int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'records')`).Scan(&layout, &tables); err != nil {
		return err
	}
	if tables > 0 && layout != storeLayout {
		return fmt.Errorf("it was written by another version of bulkload (layout %d; this one reads layout %d): finish that run with the bulkload that started it", layout, storeLayout)
	}
	if _, err := s.db.ExecContext(ctx, schemaSQL+fmt.Sprintf("PRAGMA user_version = %d;", storeLayout)); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM records`).Scan(&s.nextSeq); err != nil {
		return err
	}
	var err error
	if s.records, err = newInserter(ctx, s.db, "records", "seq", "uoid", "entity", "kind", "entity_type", "action",
		"endpoint", "group_order", "parent", "is_distinct", "status", "source", "origin", "origin_line",
		"origin_path", "messages"); err != nil {
		return err
	}
	if s.bodies, err = newInserter(ctx, s.db, "bodies", "seq", "body", "env"); err != nil {
		return err
	}
	s.rows, err = newInserter(ctx, s.db, "record_rows", "seq", "source", "origin", "origin_line", "origin_path")
	return err
}

// Close commits any open transaction and closes the database.
func (s *Store) Close() error {
	err := s.Flush()
	if err == nil {
		err = s.closeClean()
	}
	if s.marksFile != nil {
		err = errors.Join(err, s.marksFile.Close())
	}
	if s.rdb != nil {
		err = errors.Join(err, s.rdb.Close())
	}
	for _, stmt := range s.outcomeStmts {
		err = errors.Join(err, stmt.Close())
	}
	return errors.Join(err, s.records.close(), s.bodies.close(), s.rows.close(), s.db.Close())
}

// SetMeta records a fact about the run (job name, mode, start time).
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.exec(ctx, `INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Meta returns a recorded fact, or "" when there is none.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	if err := s.Flush(); err != nil {
		return "", err
	}
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// batchSize is the number of rows written per write transaction: large enough that SQLite's
// per-transaction cost vanishes, small enough that a crash loses little.
const batchSize = 2000

// begin opens the write transaction if none is open, and writes the buffered inserts into it so
// that the statements that follow see them.
func (s *Store) begin(ctx context.Context) error {
	if s.tx == nil {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		s.tx = tx
	}
	return errors.Join(s.records.flush(ctx, s.tx), s.bodies.flush(ctx, s.tx), s.rows.flush(ctx, s.tx))
}

// exec runs a statement inside the current write transaction, committing every batchSize rows.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	res, err := s.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	return res, s.wrote(1)
}

// query runs a read inside the open write transaction, if any, so that it sees what was written
// (the store has one connection: a read outside the transaction would wait for it forever).
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.tx != nil {
		return s.tx.QueryContext(ctx, query, args...)
	}
	return s.db.QueryContext(ctx, query, args...)
}

// wrote counts n rows written, committing once batchSize are.
func (s *Store) wrote(n int) error {
	if s.n += n; s.n >= batchSize {
		return s.Flush()
	}
	return nil
}

// Flush writes the buffered inserts and commits the open write transaction, if any.
func (s *Store) Flush() error {
	if s.tx == nil && len(s.records.pending)+len(s.bodies.pending)+len(s.rows.pending) == 0 {
		return nil
	}
	if err := s.begin(context.Background()); err != nil {
		if s.tx != nil {
			_ = s.tx.Rollback()
		}
		s.tx, s.n = nil, 0
		return err
	}
	err := s.tx.Commit()
	s.tx, s.n = nil, 0
	if err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	return nil
}

func encodeMessages(ms []record.Message) string {
	if len(ms) == 0 {
		return "[]"
	}
	b, _ := transforms.EncodeJSON(ms) // Message has only string and int fields: cannot fail
	return string(b)
}

func decodeMessages(s string) []record.Message {
	var ms []record.Message
	_ = json.Unmarshal([]byte(s), &ms) // written by encodeMessages
	return ms
}
