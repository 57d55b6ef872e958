package runstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
)

// Load puts the records each gives (Put, in its order) as one bulk load, and turns the valid
// ones pending when pending is set (a run about to send them); it returns how many records it
// put pending. Load does not wait for the disk (synchronous OFF): a process killed meanwhile
// loses nothing of what was committed, but a power cut may leave a store that cannot be opened,
// which is why a run only sends after BeginSending, whose checkpoint makes all of it durable.
// Meanwhile the files are written back to the disk in the background (writeBehind), so that
// the checkpoint has little left to wait for.
func (s *Store) Load(ctx context.Context, pending bool, each func(yield func(*record.Entry) error) error) (int, error) {
	if err := s.synchronous(ctx, "OFF"); err != nil {
		return 0, err
	}
	defer s.writeBehind(writeBehindEvery)()
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

// writeBehindEvery is how often a Load has its files written back to the disk.
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
