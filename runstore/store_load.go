package runstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
)

// Loading is a run store taking an evaluation's records while the evaluation runs: Put (a
// Sink's Feed) hands each record the sink spills to a goroutine that inserts it, beside the
// evaluation, and Finish then applies the cross-row rules' amendments, so that the store holds
// what the rules decided, as a dry run reports it. Until Finish or Stop returns, nothing else
// may use the store.
//
// The store does not wait for the disk while loading (synchronous OFF) but has its files written
// back every writeBehindEvery: a killed process loses nothing of what was committed, a power cut
// may leave a store that cannot be opened. That is why a run only sends after BeginSending,
// whose checkpoint makes all of it durable and finds little left to write.
type Loading struct {
	s        *Store
	pending  bool
	g        *errgroup.Group
	gctx     context.Context
	batches  chan []*record.Entry
	batch    []*record.Entry
	n        int // records put pending
	stopSync func()
	stopped  bool
	err      error // Stop's
}

// loadBatch is how many records Put hands to the inserting goroutine at once.
const loadBatch = 256

// StartLoading starts loading s, which must hold no record yet. With pending, the valid records
// go in pending (a run about to send them).
func (s *Store) StartLoading(ctx context.Context, pending bool) (*Loading, error) {
	if err := s.synchronous(ctx, "OFF"); err != nil {
		return nil, err
	}
	l := &Loading{s: s, pending: pending, batches: make(chan []*record.Entry, 4), stopSync: s.writeBehind(writeBehindEvery)}
	l.g, l.gctx = errgroup.WithContext(ctx)
	l.g.Go(func() error {
		for batch := range l.batches {
			for _, e := range batch {
				if l.pending && e.Status == record.Valid {
					e.Status = record.Pending
					l.n++
				}
				if err := s.Put(l.gctx, e); err != nil {
					return err // cancels gctx: Put stops handing over
				}
			}
		}
		return s.Flush()
	})
	return l, nil
}

// Put hands e, as the sink numbered it, to the inserting goroutine; it keeps a copy. It returns
// the store's error once inserting has failed.
func (l *Loading) Put(e *record.Entry) error {
	c := *e
	c.Body, c.Env = bytes.Clone(e.Body), bytes.Clone(e.Env)
	if l.batch = append(l.batch, &c); len(l.batch) == loadBatch {
		return l.handOver()
	}
	return nil
}

func (l *Loading) handOver() error {
	if len(l.batch) == 0 {
		return nil
	}
	select {
	case l.batches <- l.batch:
		l.batch = make([]*record.Entry, 0, loadBatch)
		return nil
	case <-l.gctx.Done():
		return l.Stop()
	}
}

// Stop ends the loading without amendments and returns the inserting goroutine's error, if
// any; the store waits for the disk again. Called again, or after Finish, it only returns that
// error again.
func (l *Loading) Stop() error {
	if l.stopped {
		return l.err
	}
	l.stopped = true
	close(l.batches)
	err := l.g.Wait()
	l.stopSync()
	l.err = errors.Join(err, l.s.synchronous(context.WithoutCancel(l.gctx), "NORMAL"))
	return l.err
}

// Finish waits for every record handed over to be inserted, then applies the rules to sink
// (Sink.Resolve) and their amendments to the store: the records merged into another are
// deleted, the changed ones get their new status and messages, each record its further rows,
// and the dependencies and notes are stored. keepPending false (a source not read to its end)
// turns the records put pending back to valid. It returns how many records are pending.
func (l *Loading) Finish(ctx context.Context, sink *Sink, keepPending bool) (int, error) {
	if err := l.handOver(); err != nil {
		return 0, err // Stop's
	}
	if err := l.Stop(); err != nil {
		return 0, err
	}
	if err := l.amend(ctx, sink, keepPending); err != nil {
		return 0, err
	}
	return l.n, nil
}

func (l *Loading) amend(ctx context.Context, sink *Sink, keepPending bool) error {
	s := l.s
	_, am, err := sink.Resolve()
	if err != nil {
		return err
	}
	before, err := s.statusesOf(ctx, am)
	if err != nil {
		return err
	}
	var merged []int64
	for _, m := range am.Merged {
		merged = append(merged, m.Seq)
		if before[m.Seq].status == record.Pending {
			l.n--
		}
	}
	if len(merged) > 0 {
		ids, _ := json.Marshal(merged) // numbers only: cannot fail
		for _, table := range []string{"bodies", "records"} {
			if _, err := s.exec(ctx, `DELETE FROM `+table+` WHERE seq IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
				return err
			}
		}
	}
	for _, c := range am.Changes {
		was := before[c.Seq]
		status := c.Status
		if l.pending && status == record.Valid {
			status = record.Pending
		}
		if was.status == record.Pending {
			l.n--
		}
		if status == record.Pending {
			l.n++
		}
		msgs := append(decodeMessages(was.messages), c.Add...)
		if _, err := s.exec(ctx, `UPDATE records SET status = ?, messages = ? WHERE seq = ?`, status, encodeMessages(msgs), c.Seq); err != nil {
			return err
		}
	}
	for _, seq := range sink.ix.WithRows() {
		for _, r := range sink.ix.Rows(seq) {
			if err := s.buffered(ctx, s.rows.add(seq, r.Source, r.Origin, r.Line, r.Path)); err != nil {
				return err
			}
		}
	}
	if err := s.PutDependencies(ctx, am.Deps, am.Notes); err != nil {
		return err
	}
	if l.pending && !keepPending {
		if _, err := s.exec(ctx, `UPDATE records SET status = 'valid' WHERE status = 'pending'`); err != nil {
			return err
		}
		l.n = 0
	}
	return s.Flush()
}

// stored is what the store holds of a record's status and messages.
type stored struct {
	status   record.Status
	messages string
}

// statusesOf reads the status and messages of the records am merges or changes.
func (s *Store) statusesOf(ctx context.Context, am *Amendments) (map[int64]stored, error) {
	seqs := make([]int64, 0, len(am.Merged)+len(am.Changes))
	for _, m := range am.Merged {
		seqs = append(seqs, m.Seq)
	}
	for _, c := range am.Changes {
		seqs = append(seqs, c.Seq)
	}
	out := make(map[int64]stored, len(seqs))
	if len(seqs) == 0 {
		return out, nil
	}
	ids, _ := json.Marshal(seqs) // numbers only: cannot fail
	rows, err := s.query(ctx, `SELECT seq, status, messages FROM records WHERE seq IN (SELECT value FROM json_each(?))`, string(ids))
	if err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var st stored
		if err := rows.Scan(&seq, &st.status, &st.messages); err != nil {
			return nil, fmt.Errorf("run store: %w", err)
		}
		out[seq] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run store: %w", err)
	}
	for _, seq := range seqs {
		if _, ok := out[seq]; !ok {
			return nil, fmt.Errorf("run store: the rules amend record %d, which was not loaded", seq)
		}
	}
	return out, nil
}

// synchronous sets how the store's connection waits for the disk (SQLite's PRAGMA
// synchronous), committing first: the setting cannot change inside a transaction.
func (s *Store) synchronous(ctx context.Context, level string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA synchronous = `+level); err != nil {
		return fmt.Errorf("run store: %w", err)
	}
	return nil
}

// writeBehindEvery is how often a loading store has its files written back to the disk.
const writeBehindEvery = 200 * time.Millisecond

// writeBehind has the store's files (run.db and its write-ahead log) synced to the disk every
// interval, on a goroutine of its own, until stop is called. It only moves the disk's work
// earlier, beside the inserts: an error is left to the checkpoint that makes the store durable
// (BeginSending), which syncs the files itself and reports it.
func (s *Store) writeBehind(every time.Duration) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, name := range []string{s.path, s.path + "-wal"} {
					if f, err := os.Open(name); err == nil {
						_ = f.Sync()
						f.Close()
					}
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}
