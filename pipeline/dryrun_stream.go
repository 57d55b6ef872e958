package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/rundir"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onkey"
)

// streamSink is a dry run's entrySink: the entries go, in row order, to a spill file in the run
// directory, and what the cross-row rules need of them to a compact index (runstore.Index). A
// valid row of a distinct key that agrees with the record its previous row made joins that
// record in the index and is not spilled. Close removes the spill.
type streamSink struct {
	ix    *runstore.Index
	spill *record.Spill
	n     int64   // records spilled: the last seq
	offs  []int64 // where every offsetEvery-th record is in the spill, from seq 1
	rec   record.Entry
	// keepEnv keeps, for a run, the rows that records are mapped from again once their parent is
	// sent (Entry.Env).
	keepEnv bool
}

var _ entrySink = (*streamSink)(nil)

func newStreamSink(dir string, job *spec.Job) (*streamSink, error) {
	opts := runstore.OptionsFor(job)
	opts.SpillDir, opts.Refs = dir, onkey.ConverterRefs
	spill, err := record.NewSpill(dir)
	if err != nil {
		return nil, err
	}
	return &streamSink{ix: runstore.NewIndex(opts), spill: spill}, nil
}

// Add indexes e and spills it, unless it joined the record before it.
func (s *streamSink) Add(_ context.Context, e Entry) error {
	if e.Body == nil {
		if err := e.Encode(); err != nil {
			return err
		}
	}
	r := &e.Record
	origin := e.Origin.String()
	seq, joined, err := s.ix.Add(runstore.Item{UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind,
		EntityType: r.EntityType, GroupOrder: r.GroupOrder, Parent: r.Parent, Distinct: r.Distinct, Status: e.Status,
		Body: e.Body, Source: e.Source, Origin: origin, OriginLine: e.Origin.Line, OriginPath: e.Origin.Path})
	if err != nil || joined {
		return err
	}
	if seq != s.n+1 {
		return fmt.Errorf("run index: record %d, want %d", seq, s.n+1)
	}
	s.rec = record.Entry{Seq: seq, UserObjectID: r.UserObjectID, Entity: r.Entity, Kind: r.Kind, EntityType: r.EntityType,
		Action: r.Action, Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Status: e.Status,
		Body: e.Body, Source: e.Source, Origin: origin, OriginLine: e.Origin.Line, OriginPath: e.Origin.Path,
		Messages: e.Messages, Distinct: r.Distinct}
	if s.keepEnv && e.Remap != nil {
		if s.rec.Env, err = e.Remap.Encode(); err != nil {
			return fmt.Errorf("record %q: %w", r.UserObjectID, err)
		}
	}
	off, err := s.spill.Append(&s.rec)
	if s.n%offsetEvery == 0 {
		s.offs = append(s.offs, off)
	}
	s.n++
	return err
}

// offsetEvery is how sparse the spill's offsets are: the rules look up few records, each found
// from the offset before it by skipping at most offsetEvery-1 records, for 8 bytes per
// offsetEvery records kept in memory.
const offsetEvery = 32

// Flush does nothing: the spill is flushed when read.
func (s *streamSink) Flush() error { return nil }

func (s *streamSink) Close() error { return errors.Join(s.ix.Close(), s.spill.Close()) }

// lookup gives the rules what the index does not keep of record seq, from the spill.
func (s *streamSink) lookup(seq int64) (runstore.Detail, error) {
	if seq < 1 || seq > s.n {
		return runstore.Detail{}, fmt.Errorf("run index: no record %d", seq)
	}
	off := s.offs[(seq-1)/offsetEvery]
	for k := (seq - 1) % offsetEvery; k > 0; k-- {
		var err error
		if off, err = s.spill.Skip(off); err != nil {
			return runstore.Detail{}, err
		}
	}
	e, err := s.spill.At(off)
	if err == nil && e.Seq != seq {
		err = fmt.Errorf("spill: record %d where %d was looked for", e.Seq, seq)
	}
	return runstore.Detail{UserObjectID: e.UserObjectID, Body: e.Body, Messages: e.Messages}, err
}

// resolve applies the cross-row rules (runstore.Resolve) and returns the stream of the entries
// as amended: the records merged into another left out, the changed ones with their new status
// and messages, and each with every row it was built from.
func (s *streamSink) resolve() (report.Each, *runstore.Amendments, error) {
	am, err := runstore.Resolve(s.ix, s.lookup)
	if err != nil {
		return nil, nil, err
	}
	merged := make([]int64, 0, len(am.Merged))
	for _, m := range am.Merged {
		merged = append(merged, m.Seq)
	}
	slices.Sort(merged)
	changes := am.Changes // sorted by seq
	slices.SortFunc(changes, func(a, b runstore.Change) int { return cmp.Compare(a.Seq, b.Seq) })
	each := func(fn func(*record.Entry) error) error {
		mi, ci := 0, 0
		return s.spill.Each(func(e *record.Entry) error {
			for mi < len(merged) && merged[mi] < e.Seq {
				mi++
			}
			if mi < len(merged) && merged[mi] == e.Seq {
				return nil
			}
			for ci < len(changes) && changes[ci].Seq < e.Seq {
				ci++
			}
			if ci < len(changes) && changes[ci].Seq == e.Seq {
				e.Status = changes[ci].Status
				e.Messages = append(e.Messages, changes[ci].Add...)
			}
			e.Rows = []string{e.Origin}
			for _, r := range s.ix.Rows(e.Seq) {
				e.Rows = append(e.Rows, r.Origin)
				e.Further = append(e.Further, record.Row{Source: r.Source, Line: r.Line, Path: r.Path, Origin: r.Origin})
			}
			return fn(e)
		})
	}
	return each, am, nil
}

// dryRunStreaming is DryRun's evaluation and reports: no record goes into the run store, which
// holds the run's facts only (job, spec, mode, start, source files).
func dryRunStreaming(ctx context.Context, job *spec.Job, opts Options) (*Outcome, error) {
	p, err := evaluate.Prepare(job)
	if err != nil {
		return nil, fromEvaluate(err)
	}
	defer p.Close()
	started := opts.Now()
	dir, err := makeRunDir(job, opts.RunDir, started)
	if err != nil {
		return nil, err
	}
	specPath, err := filepath.Abs(job.File)
	if err != nil {
		return nil, err
	}
	store, err := createStore(ctx, dir, map[string]string{"job": job.Name, "spec": specPath, "mode": "dry-run",
		"started": started.UTC().Format(time.RFC3339), rundir.MetaSourceFiles: rundir.EncodeSourceFiles(job)})
	if err != nil {
		return nil, err
	}
	if err := store.Close(); err != nil {
		return nil, err
	}
	sink, err := newStreamSink(dir, job)
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	opts.Phase(PhaseReading)
	stats, readErr, err := sinkAll(ctx, p, sink, opts, nil)
	if err != nil {
		return nil, err
	}
	opts.Phase(PhaseChecking)
	each, am, err := sink.resolve()
	if err != nil {
		return nil, err
	}
	var stopped error
	if readErr != nil {
		stopped = readErr
	}
	if opts.Lock != nil {
		if err := opts.Lock.Check(); err != nil {
			return nil, err // the reports would go to another directory, or nowhere
		}
	}
	opts.Phase(PhaseReports)
	run := reportRun{job: job, dir: dir, mode: "dry-run", stats: stats, started: started, finished: opts.Now(),
		aborted: stopped, notes: am.Notes}
	sum, err := writeReports(ctx, run, each)
	if err != nil {
		return nil, err
	}
	return &Outcome{RunDir: dir, Summary: sum}, stopped
}
