package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bulkload/bulkload/record"
)

// Report file names inside the run directory.
const (
	ReportCSV   = "report.csv"
	ReportJSONL = "report.jsonl"
)

// reportLine is one line of report.jsonl: one record, keyed by userObjectId.
type reportLine struct {
	UserObjectID string           `json:"userObjectId"`
	Status       record.Status    `json:"status"`
	Entity       string           `json:"entity"`
	EntityType   string           `json:"entityType,omitempty"`
	Action       string           `json:"action,omitempty"`
	Endpoint     string           `json:"endpoint,omitempty"`
	GroupOrder   int              `json:"groupOrder,omitempty"`
	Parent       string           `json:"parent,omitempty"`
	Source       string           `json:"source"`
	Origin       string           `json:"origin"`
	Rows         []string         `json:"rows,omitempty"`
	Errors       []record.Message `json:"errors,omitempty"`
	ServerID     string           `json:"serverId,omitempty"`
	Version      int64            `json:"version,omitempty"`
	HTTPStatus   int              `json:"httpStatus,omitempty"`
	Attempts     int              `json:"attempts,omitempty"`
	DurationMS   int64            `json:"durationMs,omitempty"`
}

// Records writes report.csv, report.jsonl and errors.csv: one line per record (one per message
// in errors.csv). Every cell of the CSV files that a spreadsheet would run as a formula gets a
// single quote in front (CellSafe): their values come from source files and from the target's
// answers; both start with a UTF-8 BOM. report.jsonl holds every value exactly. Each file
// appears whole or not at all (AtomicFile): an interrupted writer leaves the report before it in
// place. A dry run's report.csv has no columns for the target's answer.
type Records struct {
	sent                  bool
	csvFile, json, errors *AtomicFile
	cw                    *csv.Writer
	jb                    *bufio.Writer
	je                    *json.Encoder
	ew                    *errorsWriter
	rec                   []string
}

var _ Writer = (*Records)(nil)

// NewRecords starts the three files in dir; sent adds report.csv's columns of the target's
// answer (serverId, version, httpStatus, attempts, durationMs), for a run that sends.
func NewRecords(dir string, sent bool) (w *Records, err error) {
	w = &Records{sent: sent}
	defer func() {
		if err != nil {
			w.Abort()
			err = fmt.Errorf("report: %w", err)
		}
	}()
	if w.csvFile, err = CreateAtomic(filepath.Join(dir, ReportCSV)); err != nil {
		return nil, err
	}
	if w.json, err = CreateAtomic(filepath.Join(dir, ReportJSONL)); err != nil {
		return nil, err
	}
	if w.errors, err = CreateAtomic(filepath.Join(dir, ErrorsCSV)); err != nil {
		return nil, err
	}
	if w.ew, err = newErrorsWriter(w.errors); err != nil {
		return nil, err
	}
	if _, err := w.csvFile.Write([]byte(utf8BOM)); err != nil {
		return nil, err
	}
	w.cw = csv.NewWriter(w.csvFile) // buffered itself
	w.jb = bufio.NewWriterSize(w.json, 64<<10)
	w.je = json.NewEncoder(w.jb)
	w.je.SetEscapeHTML(false)
	header := []string{"userObjectId", "status", "entity", "target", "groupOrder", "parent", "origin", "rows", "errors"}
	if sent {
		header = append(header, "serverId", "version", "httpStatus", "attempts", "durationMs")
	}
	return w, w.cw.Write(header)
}

// Write adds the lines of r.
func (w *Records) Write(r *record.Entry) error {
	line := reportLine{UserObjectID: r.UserObjectID, Status: r.Status, Entity: r.Entity, EntityType: r.EntityType,
		Action: r.Action, Endpoint: r.Endpoint, GroupOrder: r.GroupOrder, Parent: r.Parent, Source: r.Source,
		Origin: r.Origin, Errors: r.Messages, ServerID: r.ServerID, Version: r.Version,
		HTTPStatus: r.HTTPStatus, Attempts: r.Attempts, DurationMS: r.DurationMS}
	if len(r.Rows) > 1 {
		line.Rows = r.Rows
	}
	if err := w.je.Encode(line); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := w.ew.write(r); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	w.rec = append(w.rec[:0], r.UserObjectID, string(r.Status), r.Entity, TargetName(r), groupOrder(r), r.Parent, r.Origin,
		strconv.Itoa(len(r.Rows)), joinCoded(r.Messages))
	if w.sent {
		w.rec = append(w.rec, r.ServerID, optInt(r.Version), optInt(int64(r.HTTPStatus)), strconv.Itoa(r.Attempts), optInt(r.DurationMS))
	}
	if err := w.cw.Write(CellsSafe(w.rec)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// Close flushes the three files and puts them in place.
func (w *Records) Close() error {
	w.cw.Flush()
	err := w.cw.Error()
	if err == nil {
		err = w.jb.Flush()
	}
	if err == nil {
		err = w.ew.flush()
	}
	for _, f := range []*AtomicFile{w.errors, w.csvFile, w.json} {
		if err == nil {
			err = f.Commit()
		}
	}
	if err != nil {
		w.Abort()
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// Abort removes the files not in place yet.
func (w *Records) Abort() {
	for _, f := range []*AtomicFile{w.csvFile, w.json, w.errors} {
		if f != nil {
			f.Abort()
		}
	}
}

// TargetName says where the record goes: "SiteType Merge" or "/v1/orders".
func TargetName(r *record.Entry) string {
	if r.Endpoint != "" {
		return r.Endpoint
	}
	return strings.TrimSpace(r.EntityType + " " + r.Action)
}

func groupOrder(r *record.Entry) string {
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

// JoinMessages renders messages for one report cell, one per line.
func JoinMessages(ms []record.Message) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return strings.Join(parts, "\n")
}

// joinCoded renders messages for one report.csv cell, one per line, each with its code in front
// ("[Core_ValueCouldNotBeConverted] Code: ..."), so that the server's code is in the report a
// spreadsheet opens, not only in report.jsonl.
func joinCoded(ms []record.Message) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
		if m.Code != "" {
			parts[i] = "[" + m.Code + "] " + parts[i]
		}
	}
	return strings.Join(parts, "\n")
}
