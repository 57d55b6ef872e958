package pipeline

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/report"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
)

// Report file names inside the run directory.
const (
	ReportCSV   = "report.csv"
	ReportJSONL = "report.jsonl"
	SummaryJSON = "summary.json"
	PayloadsDir = "payloads"
	FixDir      = "fix"
	// AnnotatedDir holds the data owner's workbooks with their bad cells marked.
	AnnotatedDir = report.AnnotatedDir
)

// reportLine is one line of report.jsonl: one record, keyed by userObjectId.
type reportLine struct {
	UserObjectID string        `json:"userObjectId"`
	Status       record.Status `json:"status"`
	Entity       string        `json:"entity"`
	EntityType   string        `json:"entityType,omitempty"`
	Action       string        `json:"action,omitempty"`
	Endpoint     string        `json:"endpoint,omitempty"`
	GroupOrder   int           `json:"groupOrder,omitempty"`
	Parent       string        `json:"parent,omitempty"`
	Source       string        `json:"source"`
	Origin       string        `json:"origin"`
	Rows         []string      `json:"rows,omitempty"`
	Errors       []Message     `json:"errors,omitempty"`
	ServerID     string        `json:"serverId,omitempty"`
	Version      int64         `json:"version,omitempty"`
	HTTPStatus   int           `json:"httpStatus,omitempty"`
	Attempts     int           `json:"attempts,omitempty"`
	DurationMS   int64         `json:"durationMs,omitempty"`
}

// writeReports renders report.csv, report.jsonl, errors.csv, summary.json, report.html,
// payloads/, fix/ and annotated/ from the store, and returns the summary; payloads/ for a dry
// run only. Server messages are first traced to their cells (traceServerMessages). A non-nil
// aborted is why the run stopped early; conc, what the requests in flight were (nil for a dry
// run).
func writeReports(ctx context.Context, dir string, job *spec.Job, store *Store, stats map[string]*sourceStats, started, finished time.Time, aborted error, mode string, conc *Concurrency) (*Summary, error) {
	sum := newSummary(job, dir, started, finished, stats)
	sum.Mode, sum.Concurrency = mode, conc
	if aborted != nil {
		sum.Aborted = aborted.Error()
	}
	if err := store.Flush(); err != nil {
		return nil, err
	}
	notes, err := store.DependencyNotes(ctx)
	if err != nil {
		return nil, err
	}
	sum.Notes = notes
	if err := removeTemporaries(dir); err != nil { // what an interrupted writer left
		return nil, err
	}
	if err := traceServerMessages(ctx, job, store); err != nil {
		return nil, err
	}
	// Each file is rendered by a reader of its own, in parallel; each fills its own part of sum.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return writeRecordReports(gctx, dir, store, sum) })
	if mode == "dry-run" && !job.ValidationOnly() {
		g.Go(func() error { return writePayloads(gctx, dir, job, store, sum) })
	}
	g.Go(func() error { return writeFixFiles(gctx, dir, job, store, sum) })
	g.Go(func() error { return writeAnnotated(gctx, dir, job, store, sum) })
	g.Go(func() error { return writeHTML(gctx, dir, job, store, sum) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := sum.write(filepath.Join(dir, SummaryJSON)); err != nil {
		return nil, err
	}
	return sum, nil
}

// writeRecordReports writes report.csv, report.jsonl and errors.csv in one pass over the store,
// counting into sum as it goes. Every cell of the CSV files that a spreadsheet would run as a
// formula gets a single quote in front (cellSafe): their values come from source files and from
// the target's answers; both start with a UTF-8 BOM (utf8BOM). report.jsonl holds every value
// exactly. Each file appears whole or not at all (atomicFile): an interrupted writer leaves the
// report before it in place.
func writeRecordReports(ctx context.Context, dir string, store *Store, sum *Summary) error {
	csvFile, err := createAtomic(filepath.Join(dir, ReportCSV))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer csvFile.abort()
	jsonFile, err := createAtomic(filepath.Join(dir, ReportJSONL))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer jsonFile.abort()
	errFile, err := createAtomic(filepath.Join(dir, ErrorsCSV))
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer errFile.abort()
	ew, err := newErrorsWriter(errFile)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}

	if _, err := csvFile.Write([]byte(utf8BOM)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	cw := csv.NewWriter(csvFile) // buffered itself
	jb := bufio.NewWriter(jsonFile)
	je := json.NewEncoder(jb)
	je.SetEscapeHTML(false)
	header := []string{"userObjectId", "status", "entity", "target", "groupOrder", "parent", "origin", "rows", "errors"}
	if sum.Mode != "dry-run" {
		header = append(header, "serverId", "version", "httpStatus", "attempts", "durationMs")
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err = store.Records(ctx, runstore.Selection{}, func(r StoredRecord) error {
		sum.count(r)
		line := reportLine{UserObjectID: r.UserObjectID, Status: r.Status, Entity: r.Entity, EntityType: r.EntityType,
			Action: r.Action, Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Source: r.Source,
			Origin: r.Origin, Errors: r.Messages, ServerID: r.ServerID, Version: r.Version,
			HTTPStatus: r.HTTPStatus, Attempts: r.Attempts, DurationMS: r.DurationMS}
		if len(r.Rows) > 1 {
			line.Rows = r.Rows
		}
		if err := je.Encode(line); err != nil {
			return err
		}
		if err := ew.write(r); err != nil {
			return err
		}
		rec := []string{r.UserObjectID, string(r.Status), r.Entity, targetName(r), groupOrder(r), r.Parent, r.Origin,
			strconv.Itoa(len(r.Rows)), joinCoded(r.Messages)}
		if sum.Mode != "dry-run" {
			rec = append(rec, r.ServerID, optInt(r.Version), optInt(int64(r.HTTPStatus)), strconv.Itoa(r.Attempts), optInt(r.DurationMS))
		}
		return cw.Write(cellsSafe(rec))
	})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := jb.Flush(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := ew.flush(); err != nil {
		return err
	}
	if err := errFile.commit(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := csvFile.commit(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := jsonFile.commit(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// targetName says where the record goes: "SiteType Merge" or "/v1/orders".
func targetName(r StoredRecord) string {
	if r.Endpoint != "" {
		return r.Endpoint
	}
	return strings.TrimSpace(r.EntityType + " " + r.Action)
}

func groupOrder(r StoredRecord) string {
	if r.GroupOrder == 0 {
		return ""
	}
	return strconv.Itoa(r.GroupOrder)
}

func optInt(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// joinMessages renders messages for one report cell, one per line.
func joinMessages(ms []Message) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, "\n")
}

// joinCoded renders messages for one report.csv cell, one per line, each with its code in front
// ("[Core_ValueCouldNotBeConverted] Code: ..."), so that the server's code is in the report a
// spreadsheet opens, not only in report.jsonl.
func joinCoded(ms []Message) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
		if m.Code != "" {
			parts[i] = "[" + m.Code + "] " + parts[i]
		}
	}
	return strings.Join(parts, "\n")
}

// closeInto closes f and keeps the first error.
func closeInto(f *os.File, err *error) {
	if cerr := f.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}
