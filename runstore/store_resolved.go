package runstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
)

// Put stores a record whose cross-row rules have run (Resolve over an Index that numbered the
// records as this store would), with the seq it has, its final status and messages and its
// further rows. Seqs must come in ascending order and after every seq the store holds: merged
// records leave gaps, never a second record under one seq. The inserts are buffered as Insert's.
func (s *Store) Put(ctx context.Context, e *record.Entry) error {
	if e.Seq < s.nextSeq {
		return fmt.Errorf("run store: record %d after record %d", e.Seq, s.nextSeq-1)
	}
	s.nextSeq = e.Seq + 1
	return s.buffered(ctx, s.addRecord(e.Seq, e))
}

// Load puts the records each gives (Put, in its order) as one bulk load, and turns the valid
// ones pending when pending is set (a run about to send them); it returns how many records it
// put pending. Load does not wait for the disk (synchronous OFF): a process killed meanwhile
// loses nothing of what was committed, but a power cut may leave a store that cannot be opened,
// which is why a run only sends after BeginSending, whose checkpoint makes all of it durable.
func (s *Store) Load(ctx context.Context, pending bool, each func(yield func(*record.Entry) error) error) (int, error) {
	if err := s.synchronous(ctx, "OFF"); err != nil {
		return 0, err
	}
	// each (decoding, in a dry run's sink) runs on a goroutine of its own, beside the inserts.
	batches := make(chan []*record.Entry, 4)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(batches)
		var batch []*record.Entry
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]*record.Entry, 0, loadBatch)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		if err := each(func(e *record.Entry) error {
			if batch = append(batch, e); len(batch) == loadBatch {
				return send()
			}
			return nil
		}); err != nil {
			return err
		}
		return send()
	})
	n := 0
	g.Go(func() error {
		for batch := range batches {
			for _, e := range batch {
				if pending && e.Status == record.Valid {
					e.Status = record.Pending
					n++
				}
				if err := s.Put(gctx, e); err != nil {
					return err
				}
			}
		}
		return s.Flush()
	})
	err := g.Wait()
	return n, errors.Join(err, s.synchronous(ctx, "NORMAL"))
}

// loadBatch is how many records Load hands from its reading goroutine to its writing one at once.
const loadBatch = 256

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

// PutDependencies stores what Resolve found of On Key records on records of earlier groups (its
// Amendments' Deps and Notes), as LinkConverters would have.
func (s *Store) PutDependencies(ctx context.Context, deps []Dep, notes []string) error {
	if err := s.Flush(); err != nil {
		return err
	}
	for _, d := range deps {
		if _, err := s.exec(ctx, `INSERT INTO deps(seq, dep, property, ref) VALUES(?,?,?,?)`, d.Seq, d.On, d.Property, d.Ref); err != nil {
			return err
		}
	}
	if len(notes) == 0 {
		return nil
	}
	b, err := json.Marshal(notes)
	if err != nil {
		return err
	}
	return s.SetMeta(ctx, metaDepNotes, string(b))
}
