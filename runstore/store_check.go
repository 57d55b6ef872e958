package runstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// What a run records in the store's meta table, durably in the main database file, before its
// first request leaves (BeginSending), so that a store that lost part of itself is refused.
const (
	metaExpect  = "expect_records" // the number of records when sending began
	metaOpen    = "open"           // "1" from then on until the store is closed cleanly
	metaDamage  = "damage"         // what an open found the store to lack: it stays refused
	metaOpenYes = "1"
	// MetaMarks is the meta key counting the MarkSending transactions committed, ever: a store
	// that replaces another (a resume that evaluates again) takes the old one's count over.
	MetaMarks = "marks"
	// MetaPhase is the meta key of the run's phase: PhaseSending once every record is evaluated
	// and sending may begin. A store in that phase must hold what it held when sending began.
	MetaPhase    = "phase"
	PhaseSending = "sending"
)

// MarksFile is the name of the file beside the run store that repeats its meta marks, written
// after each MarkSending commits (no fsync: it survives the process being killed, and a power
// cut that loses it only makes it say less). A store whose marks are fewer lost transactions it
// had committed: its write-ahead log was cut short or replaced.
const MarksFile = FileName + "-marks"

// DamagedError refuses a run store that is damaged or holds less than it recorded: resuming
// from it could send records twice or forget them.
type DamagedError struct {
	Path string
	What string // what is wrong with it
	// Incomplete is true for a store SQLite reads but that holds less than it recorded: a
	// reconcile, which changes nothing, still reads it. False: SQLite finds it damaged.
	Incomplete bool
}

func (e *DamagedError) Error() string {
	dir := filepath.Dir(e.Path)
	msg := fmt.Sprintf("run store %s cannot be trusted: %s. Resuming from it could send records twice or forget records the target holds, "+
		"so nothing was sent: restore the whole run directory (%s with %s-wal, as they were) from a backup and resume it",
		e.Path, e.What, FileName, FileName)
	if e.Incomplete {
		return msg + "; bulkload reconcile " + dir + " still reads it and shows which of the records it knows the target holds"
	}
	return msg + "; without a backup, what the run sent is known only to the target: check there before sending those records again"
}

// walFound says what was found of the write-ahead log of the store at path before SQLite opened
// it: SQLite itself ignores a log shorter than its 32-byte header.
func walFound(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() >= 32
}

// check verifies the store just opened, before anything else reads or writes it: SQLite's
// quick_check, and, for a run that began sending, that it holds what it recorded then (see
// BeginSending). wal is walFound before the store was opened. An incomplete store is accepted
// only with tolerateIncomplete (a reconcile, which changes nothing); a damaged one never.
func (s *Store) check(ctx context.Context, wal, tolerateIncomplete bool) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return &DamagedError{Path: s.path, What: "SQLite finds it damaged (" + err.Error() + ")"}
	}
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return &DamagedError{Path: s.path, What: "SQLite finds it damaged (" + err.Error() + ")"}
		}
		if p != "ok" {
			problems = append(problems, p)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return &DamagedError{Path: s.path, What: "SQLite finds it damaged (" + err.Error() + ")"}
	}
	if len(problems) > 0 {
		return &DamagedError{Path: s.path, What: "SQLite finds it damaged (quick_check: " + strings.Join(problems, "; ") + ")"}
	}
	var hasMeta int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'`).Scan(&hasMeta); err != nil || hasMeta == 0 {
		s.complete = err == nil
		return err
	}
	facts := map[string]string{}
	rows, err = s.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN (?, ?, ?, ?, ?)`, MetaPhase, metaExpect, metaOpen, MetaMarks, metaDamage)
	if err != nil {
		return &DamagedError{Path: s.path, What: "its meta table cannot be read (" + err.Error() + ")"}
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return err
		}
		facts[k] = v
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	s.opened = facts[metaOpen] == metaOpenYes
	s.marks, _ = strconv.ParseInt(facts[MetaMarks], 10, 64)
	what, err := s.missing(ctx, facts, wal)
	if err != nil {
		return err
	}
	if what != "" && facts[metaDamage] == "" {
		// Said in the store, so that it stays refused for what was found now, even once closing
		// it has moved what is left of its write-ahead log into the main file.
		if _, err := s.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)`, metaDamage, what); err != nil {
			return &DamagedError{Path: s.path, What: what + " (and it cannot be written: " + err.Error() + ")", Incomplete: true}
		}
	}
	if what != "" && !tolerateIncomplete {
		return &DamagedError{Path: s.path, What: what, Incomplete: true}
	}
	s.complete = what == ""
	return nil
}

// missing says what the store lacks of what it recorded, "" if nothing.
func (s *Store) missing(ctx context.Context, facts map[string]string, wal bool) (string, error) {
	if facts[metaDamage] != "" {
		return facts[metaDamage], nil
	}
	said, counted := s.marksCounted()
	if s.opened && !wal && !counted {
		return "it was not closed cleanly while its run was sending (the process was killed or crashed), and both its write-ahead log " +
			FileName + "-wal, which holds what the run recorded since, and " + MarksFile + ", which says how much that was, are missing", nil
	}
	if counted && said > s.marks {
		return fmt.Sprintf("it holds %d of the %d marks the run committed before sending requests (%s counts them): its last transactions are lost "+
			"(was %s-wal deleted, cut short or replaced?)", s.marks, said, MarksFile, FileName), nil
	}
	if facts[MetaPhase] != PhaseSending {
		return "", nil
	}
	var total, valid int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(status = 'valid'), 0) FROM records`).Scan(&total, &valid); err != nil {
		return "", &DamagedError{Path: s.path, What: "its records cannot be read (" + err.Error() + ")"}
	}
	if want, err := strconv.ParseInt(facts[metaExpect], 10, 64); err == nil && total < want {
		return fmt.Sprintf("it holds %d records; it held %d when sending began", total, want), nil
	}
	if valid > 0 {
		return fmt.Sprintf("%d records are still valid, never marked pending, though the run began sending: the store lost the transaction that marked them", valid), nil
	}
	return "", nil
}

// marksCounted is the number of marks MarksFile says the run committed, and whether it says.
// A store whose write-ahead log is gone is whole exactly when it holds that many: SQLite removes
// the log itself once a clean close (of any client, sqlite3 included) has moved it into the main
// file, and a log lost before that takes the last marks with it.
func (s *Store) marksCounted() (int64, bool) {
	b, err := os.ReadFile(s.path + "-marks")
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, err == nil
}

// BeginSending records, durably in the main database file, what the store must hold from now on:
// the number of records, and that it is open for sending (until Close). A later open refuses the
// store if it holds fewer records, or if it was not closed cleanly and its write-ahead log is
// gone. Call it after the records are pending and the phase is sending, before the first
// request leaves.
func (s *Store) BeginSending(ctx context.Context) error {
	if err := s.Flush(); err != nil {
		return err
	}
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM records`).Scan(&n); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	for k, v := range map[string]string{metaExpect: strconv.FormatInt(n, 10), metaOpen: metaOpenYes, MetaMarks: strconv.FormatInt(s.marks, 10)} {
		if err := s.SetMeta(ctx, k, v); err != nil {
			return err
		}
	}
	if err := s.Flush(); err != nil {
		return err
	}
	s.opened = true
	// FULL, not TRUNCATE: the log keeps its frames (now in the main file too), so that a log found
	// empty or missing after a crash always means a log lost.
	var busy, logged, done int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(FULL)`).Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("run store: checkpoint: %w", err)
	}
	if busy != 0 || done < logged {
		return fmt.Errorf("run store %s: checkpoint incomplete (%d of %d pages): another connection holds it", s.path, done, logged)
	}
	return nil
}

// countMark counts, inside MarkSending's transaction, one more mark.
func (s *Store) countMark(ctx context.Context) error {
	return s.SetMeta(ctx, MetaMarks, strconv.FormatInt(s.marks+1, 10))
}

// markCounted repeats the marks committed in MarksFile, once MarkSending's transaction is.
func (s *Store) markCounted() error {
	s.marks++
	if s.marksFile == nil {
		f, err := os.OpenFile(s.path+"-marks", os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("run store: %w", err)
		}
		s.marksFile = f
	}
	if _, err := s.marksFile.WriteAt([]byte(fmt.Sprintf("%020d\n", s.marks)), 0); err != nil {
		return fmt.Errorf("run store: %s: %w", s.marksFile.Name(), err)
	}
	return nil
}

// closeClean records, before the store's last connection closes (which moves the write-ahead log
// into the main file and deletes it), that the store is no longer open: a store checked complete
// and closed cleanly needs no log. A store found incomplete keeps saying it was open.
func (s *Store) closeClean() error {
	if !s.opened || !s.complete {
		return nil
	}
	if _, err := s.db.ExecContext(context.Background(), `UPDATE meta SET value = '0' WHERE key = ?`, metaOpen); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	return nil
}

// openCheckedDB is Open's first step: the database opened and checked (check).
func openCheckedDB(ctx context.Context, path, dsn string, tolerateIncomplete bool) (*Store, error) {
	wal := walFound(path)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, outcomeStmts: map[int]*sql.Stmt{}}
	if err := s.check(ctx, wal, tolerateIncomplete); err != nil {
		db.Close()
		var damaged *DamagedError
		if errors.As(err, &damaged) {
			return nil, err
		}
		return nil, fmt.Errorf("run store %s: %w", path, err)
	}
	return s, nil
}
