package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// SummaryJSON is the summary's file name inside the run directory.
const SummaryJSON = "summary.json"

// Summary is summary.json: counts per source, entity and status, and the errors grouped by
// column and rule with counts and sample values.
type Summary struct {
	Job             string                    `json:"job"`
	Mode            string                    `json:"mode"`
	Spec            string                    `json:"spec"`
	RunDir          string                    `json:"runDir"`
	Started         string                    `json:"started"`
	Finished        string                    `json:"finished"`
	DurationSeconds float64                   `json:"durationSeconds"`
	Records         map[string]int            `json:"records"`
	Sources         map[string]*SourceSummary `json:"sources"`
	Entities        map[string]map[string]int `json:"entities"`
	Errors          []*ErrorGroup             `json:"errors"`
	Payloads        *PayloadSummary           `json:"payloads,omitempty"`
	FixFiles        []string                  `json:"fixFiles,omitempty"`
	// Annotated lists the annotated workbooks (annotated/), relative to the run directory.
	Annotated []string `json:"annotated,omitempty"`
	// Concurrency is what the requests in flight were while sending; absent from a dry run.
	Concurrency *Concurrency `json:"concurrency,omitempty"`
	// Notes are what the run could not settle and says once, such as a converter whose entity
	// cannot be told (no dependency is made for it).
	Notes []string `json:"notes,omitempty"`
	// HTML is report.html, the one-page report, relative to the run directory.
	HTML string `json:"html,omitempty"`
	// Aborted says why the run stopped before reading everything; empty for a complete run.
	Aborted string `json:"aborted,omitempty"`

	groups map[[2]string]*ErrorGroup
}

// SourceSummary counts one source's rows and the statuses of the records made from them.
type SourceSummary struct {
	Rows    int            `json:"rows"`
	Records map[string]int `json:"records"`
	// UnusedColumns are the source's columns (JSON fields) that no mapping reads: nothing of
	// them reaches the target.
	UnusedColumns []string `json:"unusedColumns,omitempty"`
	// Warnings are what the reader noticed that is no error, such as a sheet that is empty.
	Warnings []string `json:"warnings,omitempty"`
}

// ErrorGroup is every message of one rule on one column: how many, and a few examples.
type ErrorGroup struct {
	Property string   `json:"property"`
	Code     string   `json:"code"`
	Count    int      `json:"count"`
	Samples  []Sample `json:"samples"`
}

// Sample is one example of an error group: the record (its userObjectId) and, where the message
// is on a cell, the cell and its value.
type Sample struct {
	Record  string `json:"record,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// Concurrency is summary.json's account of the requests in flight while sending (record.Concurrency).
type Concurrency = record.Concurrency

// PayloadSummary counts the request bodies a dry run wrote.
type PayloadSummary struct {
	Requests int `json:"requests"`
	Records  int `json:"records"`
}

const samplesPerGroup = 3

// NewSummary starts the summary of job's run in dir: its times, the sources' rows (sources, by
// source name, with Records empty) and no record counted yet.
func NewSummary(job *spec.Job, dir string, started, finished time.Time, sources map[string]*SourceSummary) *Summary {
	s := &Summary{Job: job.Name, Mode: "dry-run", Spec: job.File, RunDir: dir,
		Started: started.UTC().Format(time.RFC3339), Finished: finished.UTC().Format(time.RFC3339),
		DurationSeconds: finished.Sub(started).Seconds(),
		Records:         map[string]int{"total": 0}, Sources: sources,
		Entities: map[string]map[string]int{}, Errors: []*ErrorGroup{}, groups: map[[2]string]*ErrorGroup{}}
	if s.Sources == nil {
		s.Sources = map[string]*SourceSummary{}
	}
	for _, src := range s.Sources {
		if src.Records == nil {
			src.Records = map[string]int{}
		}
	}
	return s
}

// Add counts one record and adds its messages to the error groups. Records are added in the
// order of their rows (the groups' samples are the first ones); Add is not safe for concurrent
// use.
func (s *Summary) Add(r *record.Entry) {
	s.Records["total"]++
	s.Records[string(r.Status)]++
	if src := s.Sources[r.Source]; src != nil {
		src.Records[string(r.Status)]++
	}
	if s.Entities[r.Entity] == nil {
		s.Entities[r.Entity] = map[string]int{}
	}
	s.Entities[r.Entity][string(r.Status)]++
	for _, m := range r.Messages {
		key := [2]string{m.Property, m.Code}
		g := s.groups[key]
		if g == nil {
			g = &ErrorGroup{Property: m.Property, Code: m.Code}
			s.groups[key] = g
			s.Errors = append(s.Errors, g)
		}
		g.Count++
		if len(g.Samples) < samplesPerGroup {
			g.Samples = append(g.Samples, Sample{Record: r.UserObjectID, Cell: m.Cell, Value: m.Value, Message: m.Text})
		}
	}
}

// sortErrors orders the groups by count, then property and code.
func (s *Summary) sortErrors() {
	sort.SliceStable(s.Errors, func(i, j int) bool {
		a, b := s.Errors[i], s.Errors[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Property != b.Property {
			return a.Property < b.Property
		}
		return a.Code < b.Code
	})
}

// Write writes the summary to path, whole or not at all, its error groups sorted by count.
func (s *Summary) Write(path string) error {
	s.sortErrors()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	f, err := CreateAtomic(path)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	defer f.Abort()
	if _, err := f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	return nil
}

// Count returns the number of records with the given status ("total" for all).
func (s *Summary) Count(status record.Status) int { return s.Records[string(status)] }
