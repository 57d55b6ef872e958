package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulkload/bulkload/spec"
)

// reevaluate gives a resumed run whose files changed (ResumeOptions.Force) a store evaluated from
// the files as they are now, with the outcomes of old carried over (carryOver), in place of old,
// which it closes. It returns the new store, open. Until the new store is renamed into place the
// old one stays as it was, so a crash leaves one or the other.
func reevaluate(ctx context.Context, job *spec.Job, dir string, old *Store, fp fingerprint, eo Options, retryFailed bool) (*Store, error) {
	started, err := old.Meta(ctx, "started")
	if err != nil {
		return nil, err
	}
	marks, err := old.Meta(ctx, metaMarks) // the new store takes over the old one's count (storeMarksFile)
	if err != nil {
		return nil, err
	}
	if err := old.Close(); err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, ".reevaluated")
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	eo.RunDir = tmp
	ev, err := evaluateJob(ctx, job, eo, "run")
	if err != nil {
		return nil, err
	}
	fresh := ev.store
	fail := func(err error) (*Store, error) {
		fresh.Close()
		os.RemoveAll(tmp)
		return nil, err
	}
	if ev.readErr != nil {
		return fail(&SetupError{fmt.Errorf("the changed files cannot be read to their end, so the run is left as it was: %w", ev.readErr)})
	}
	if err := ev.saveForResume(ctx, fp); err != nil {
		return fail(err)
	}
	if err := fresh.carryOver(ctx, filepath.Join(dir, StoreFile), retryFailed); err != nil {
		return fail(err)
	}
	if _, err := fresh.MarkPending(ctx); err != nil {
		return fail(err)
	}
	for k, v := range map[string]string{"started": started, metaTarget: job.Target.URL, metaPhase: phaseSending, metaMarks: marks} {
		if err := fresh.SetMeta(ctx, k, v); err != nil {
			return fail(err)
		}
	}
	if err := fresh.Close(); err != nil {
		return fail(err)
	}
	path := filepath.Join(dir, StoreFile)
	if err := errors.Join(removeFiles(path+"-wal"), removeFiles(path+"-shm")); err != nil {
		return nil, err
	}
	if err := os.Rename(filepath.Join(tmp, StoreFile), path); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	if err := os.RemoveAll(tmp); err != nil {
		return nil, err
	}
	return OpenStore(ctx, path)
}

// carryOver copies into a store just evaluated the outcomes of the run store at oldPath that
// stand, matching records by entity and userObjectId:
//   - succeeded and unknown records keep their outcome whatever their row says now (they are
//     never sent again; unknown ones were sent and could not be reconciled); a succeeded record
//     whose row changed says so;
//   - failed records keep their outcome when their record is the same as when it failed, unless
//     retryFailed; a changed one is sent again;
//   - succeeded and unknown records whose row is gone from the files are kept as they were, saying
//     so, so that the report still holds everything sent.
func (s *Store) carryOver(ctx context.Context, oldPath string, retryFailed bool) error {
	if err := s.Flush(); err != nil {
		return err
	}
	// ATTACH cannot run inside a transaction; the store's one connection keeps it.
	if _, err := s.db.ExecContext(ctx, `ATTACH DATABASE ? AS old`, "file:"+oldPath+"?mode=ro"); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	defer s.db.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE old`)
	retry := 0
	if retryFailed {
		retry = 1
	}
	changed := `json_insert(o.messages, '$[#]', json_object('code', 'changed', 'severity', 'info',
		'text', 'its row changed since it was sent; succeeded records are not sent again'))`
	gone := `json_insert(CASE WHEN o.status = 'unknown' AND o.messages = '[]' THEN json_array(json(?)) ELSE o.messages END,
		'$[#]', json_object('code', 'removed', 'severity', 'info', 'text', 'its row is no longer in the source; kept as the run left it'))`
	sameBody := `(SELECT body FROM old.bodies WHERE seq = o.seq) IS (SELECT body FROM main.bodies WHERE seq = main.records.seq)`
	// The records kept because their rows are gone are numbered after the new ones, in their order.
	kept := `FROM old.records AS o
		WHERE o.status IN ('succeeded', 'unknown') AND o.uoid <> ''
		AND NOT EXISTS (SELECT 1 FROM main.records n WHERE n.entity = o.entity AND n.uoid = o.uoid)`
	unansweredJSON, _ := json.Marshal(unanswered) // strings only: cannot fail
	last := s.nextSeq - 1
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE main.records SET status = o.status, server_id = o.server_id, version = o.version,
			http_status = o.http_status, attempts = o.attempts, duration_ms = o.duration_ms,
			messages = CASE WHEN o.status = 'succeeded' AND NOT ` + sameBody + ` THEN ` + changed + ` ELSE o.messages END
			FROM old.records AS o
			WHERE o.entity = main.records.entity AND o.uoid = main.records.uoid AND o.uoid <> ''
			AND (o.status IN ('succeeded', 'unknown') OR (o.status = 'failed' AND ? = 0 AND ` + sameBody + `))`, []any{retry}},
		// bodies first: the records inserted next would change what kept selects
		{`INSERT INTO main.bodies (seq, body, env)
			SELECT ? + ROW_NUMBER() OVER (ORDER BY o.seq), b.body, b.env ` + strings.Replace(kept, "FROM old.records AS o",
			"FROM old.records AS o LEFT JOIN old.bodies AS b ON b.seq = o.seq", 1), []any{last}},
		{`INSERT INTO main.records (seq, uoid, entity, kind, entity_type, action, endpoint, group_order, parent, is_distinct,
			status, source, origin, origin_line, origin_path, messages, server_id, version, http_status, attempts, duration_ms)
			SELECT ? + ROW_NUMBER() OVER (ORDER BY o.seq),
			o.uoid, o.entity, o.kind, o.entity_type, o.action, o.endpoint, o.group_order, o.parent, o.is_distinct,
			o.status, o.source, o.origin, o.origin_line, o.origin_path, ` + gone + `,
			o.server_id, o.version, o.http_status, o.attempts, o.duration_ms ` + kept, []any{last, string(unansweredJSON)}},
	} {
		if _, err := s.exec(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	if err := s.Flush(); err != nil {
		return err
	}
	return s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM records`).Scan(&s.nextSeq)
}
