package runstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Facts is what a run store says of its run, read without disturbing a process using it.
type Facts struct {
	Job, Mode string
	Phase     string // PhaseSending once the run may have sent records
	Open      bool   // open for sending: not closed cleanly since
	Damage    string // what an open found the store to lack (it is refused since)
	Started   time.Time
	Records   map[string]int // records by status, and "total"
}

// ReadFacts reads the run store at path without writing a file in its directory. A store
// with its write-ahead log and index beside it (a process has it open, or was killed with it
// open) is read through SQLite's read-only mode, which sees what was committed to the log as a
// reader beside the writer; one without them is read as immutable, which creates none.
func ReadFacts(ctx context.Context, path string) (Facts, error) {
	var facts Facts
	if _, err := os.Stat(path); err != nil {
		return facts, fmt.Errorf("no run store: %w", err)
	}
	how := "immutable=1"
	if exists(path+"-wal") && exists(path+"-shm") {
		how = "mode=ro"
	}
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+how+"&_pragma=busy_timeout(2000)")
	if err != nil {
		return facts, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ('job', 'mode', 'started', ?, ?, ?)`, MetaPhase, metaOpen, metaDamage)
	if err != nil {
		return facts, fmt.Errorf("run store %s: %w", path, err)
	}
	meta := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return facts, fmt.Errorf("run store %s: %w", path, err)
		}
		meta[k] = v
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return facts, fmt.Errorf("run store %s: %w", path, err)
	}
	facts.Job, facts.Mode, facts.Phase, facts.Open = meta["job"], meta["mode"], meta[MetaPhase], meta[metaOpen] == metaOpenYes
	facts.Damage = meta[metaDamage]
	facts.Started, _ = time.Parse(time.RFC3339, meta["started"])
	facts.Records = map[string]int{"total": 0}
	rows, err = db.QueryContext(ctx, `SELECT status, COUNT(*) FROM records GROUP BY status`)
	if err != nil {
		return facts, fmt.Errorf("run store %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return facts, fmt.Errorf("run store %s: %w", path, err)
		}
		facts.Records[status] = n
		facts.Records["total"] += n
	}
	return facts, rows.Err()
}

// uriPath escapes path for a SQLite file: URI.
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
