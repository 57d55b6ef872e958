package preview

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/evaluate"
	"github.com/bulkload/bulkload/readers"
	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
	"github.com/bulkload/bulkload/transforms"
)

// DefaultLimit is the number of rows per source a preview shows when none is asked for.
const DefaultLimit = 5

// Note is what every preview says it did not check.
const Note = "cross-row rules (unique userObjectIds, rows of a distinct record agreeing) and parents are not checked in a preview: run validate for those"

// Options says which rows a preview shows. The zero value shows the first
// DefaultLimit rows of every source and all their records.
type Options struct {
	// Limit is the number of rows read from each source shown (default DefaultLimit).
	Limit int
	// Source, if set, shows only that source.
	Source string
	// Entity, if set, shows only that entity's records, and only its source.
	Entity string
}

// Result is what a preview shows: for each source, its first rows typed and the records they
// map to, with their problems, evaluated exactly as a dry run evaluates them one by one.
type Result struct {
	Job string `json:"job"`
	// Target is the target kind; empty for a validation-only job.
	Target string   `json:"target,omitempty"`
	Limit  int      `json:"limit"`
	Notes  []string `json:"notes"`
	// Sources are in spec order.
	Sources []Source `json:"sources"`
}

// Source is the first rows of one source.
type Source struct {
	Name string `json:"name"`
	File string `json:"file"`
	// More is true when the source has rows after the ones shown.
	More bool  `json:"more"`
	Rows []Row `json:"rows"`
}

// Row is one row: where it is, its typed values (columns in file order; those that
// could not be typed are left out and named by an error) and its records.
type Row struct {
	At      string            `json:"at"`
	Line    int               `json:"line"`
	Values  transforms.Object `json:"values"`
	Records []Record          `json:"records"`
}

// Record is one record a row maps to. Status is record.Valid or record.Invalid, as a dry run would
// record it before its cross-row rules.
type Record struct {
	Entity       string        `json:"entity"`
	UserObjectID string        `json:"userObjectId,omitempty"`
	Status       record.Status `json:"status"`
	Parent       string        `json:"parent,omitempty"`
	// NotKnown names the properties whose mapping reads `parent` (the parent record's result,
	// known only once it is sent): the request below leaves them out.
	NotKnown []string `json:"notKnown,omitempty"`
	// Request is what would be sent for a valid record: for On Key the import batch holding
	// this record alone, for Onix Work its call.
	Request *Request  `json:"request,omitempty"`
	Errors  []Problem `json:"errors,omitempty"`
}

// Request is one request as it would be sent.
type Request struct {
	Method string          `json:"method"`
	URL    string          `json:"url"`
	Body   json.RawMessage `json:"body"`
}

// Problem is one problem of a record, as report.csv would show it.
type Problem struct {
	Cell     string `json:"cell,omitempty"`
	Property string `json:"property,omitempty"`
	Code     string `json:"code"`
	Value    string `json:"value,omitempty"`
	Message  string `json:"message"`
}

// UnknownNameError is a --source or --entity that names nothing in the job. Known lists the
// names there are, in spec order.
type UnknownNameError struct {
	What  string // "source" or "entity"
	Name  string
	Known []string
}

func (e *UnknownNameError) Error() string {
	plural := map[string]string{"entity": "entities"}[e.What]
	if plural == "" {
		plural = e.What + "s"
	}
	if len(e.Known) == 0 {
		return "no " + e.What + " is named " + quote(e.Name) + ": the job has no " + plural
	}
	return "no " + e.What + " is named " + quote(e.Name) + "; the job's " + plural + " are " + strings.Join(e.Known, ", ")
}

// FilterError is a --source and an --entity that do not agree: the entity reads another source.
type FilterError struct{ Entity, EntitySource, Source string }

func (e *FilterError) Error() string {
	return "entity " + e.Entity + " maps rows of source " + e.EntitySource + ", not " + e.Source + ": give one of --entity and --source, or both that agree"
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// Job reads the first opts.Limit rows of each chosen source of job (and one more, to say
// whether there are more), types, validates and maps them as a dry run does, and returns what it
// found. It writes nothing and sends nothing; it never reads a source past those rows, so it
// takes the same time on any file size. An *evaluate.SetupError means the job cannot be read at all; an
// *UnknownNameError that opts names no source or entity of the job, a *FilterError that its
// source and entity disagree.
func Job(ctx context.Context, job *spec.Job, opts Options) (*Result, error) {
	if opts.Limit <= 0 {
		opts.Limit = DefaultLimit
	}
	only, err := previewSources(job, opts)
	if err != nil {
		return nil, err
	}
	p, err := evaluate.PrepareWith(job, readers.OpenHead)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	out := &Result{Job: job.Name, Target: job.Target.Kind, Limit: opts.Limit, Notes: []string{Note}}
	if job.ValidationOnly() {
		out.Notes = append(out.Notes, "a validation-only job: each row is one record, keyed <source>:<line>")
	}
	notKnown := parentReaders(job)
	for _, sp := range p.Sources() {
		if only != "" && sp.Spec().Name != only {
			continue
		}
		ps := Source{Name: sp.Spec().Name, File: sp.Spec().Path, Rows: []Row{}}
		for {
			row, err := sp.Reader().Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, &evaluate.ReadError{Source: sp.Spec().Name, Err: err}
			}
			if len(ps.Rows) == opts.Limit {
				ps.More = true
				break
			}
			ps.Rows = append(ps.Rows, previewRow(job, sp, row, opts.Entity, notKnown))
		}
		out.Sources = append(out.Sources, ps)
	}
	return out, nil
}

// previewSources checks the filters of opts and returns the one source to show ("" for all).
func previewSources(job *spec.Job, opts Options) (string, error) {
	var sources, entities []string
	for _, s := range job.Sources {
		sources = append(sources, s.Name)
	}
	for _, e := range job.Entities {
		entities = append(entities, e.Name)
	}
	only := opts.Source
	if only != "" && !slices.Contains(sources, only) {
		return "", &UnknownNameError{What: "source", Name: only, Known: sources}
	}
	if opts.Entity == "" {
		return only, nil
	}
	e, ok := job.Entity(opts.Entity)
	if !ok {
		return "", &UnknownNameError{What: "entity", Name: opts.Entity, Known: entities}
	}
	if only != "" && only != e.Source {
		return "", &FilterError{Entity: e.Name, EntitySource: e.Source, Source: only}
	}
	return e.Source, nil
}

// previewRow evaluates one row as a dry run does and shows it, keeping only entity's records
// when entity is set.
func previewRow(job *spec.Job, sp *evaluate.Source, row readers.Row, entity string, notKnown map[string][]string) Row {
	pr := Row{At: row.Origin.String(), Line: row.Origin.Line, Values: transforms.Object{}, Records: []Record{}}
	typed, _ := sp.Type(row)
	for _, c := range row.Columns {
		if v, ok := typed[c]; ok && c != record.ErrorsColumn {
			pr.Values = append(pr.Values, transforms.Member{Key: c, Value: v})
		}
	}
	for _, e := range sp.Evaluate(row) {
		if entity != "" && e.Record.Entity != entity {
			continue
		}
		rec := Record{Entity: e.Record.Entity, UserObjectID: e.Record.UserObjectID, Status: e.Status, Parent: e.Record.Parent}
		if e.Remap != nil {
			rec.NotKnown = notKnown[e.Record.Entity]
		}
		for _, m := range e.Messages {
			rec.Errors = append(rec.Errors, Problem{Cell: m.Cell, Property: m.Property, Code: m.Code, Value: m.Value, Message: m.Text})
		}
		if e.Status == record.Valid && !job.ValidationOnly() {
			rec.Request = previewRequest(job, e.Record)
		}
		pr.Records = append(pr.Records, rec)
	}
	return pr
}

// previewRequest builds the request a valid record would go in, with the builders payloads/ uses.
func previewRequest(job *spec.Job, r transforms.Record) *Request {
	body, err := json.Marshal(r.Body)
	if err != nil {
		return nil
	}
	e := record.Entry{UserObjectID: r.UserObjectID, Action: r.Action, Endpoint: r.Endpoint, Body: body}
	call := onixwork.Post(job.Target.URL, e)
	if job.Target.Kind == spec.OnKey {
		call = onkey.Import(job.Target, job.Submit, []record.Entry{e})
	}
	return &Request{Method: call.Method, URL: call.URL, Body: call.Body}
}

// readsParent matches an expression that reads the parent record's result.
var readsParent = regexp.MustCompile(`\bparent\s*(\.|\[)`)

// parentReaders returns, per entity, the paths of the properties (and id) whose expression reads
// `parent`, in spec order.
func parentReaders(job *spec.Job) map[string][]string {
	out := map[string][]string{}
	for _, e := range job.Entities {
		var paths []string
		var walk func(v *spec.Value, path string)
		walk = func(v *spec.Value, path string) {
			if v == nil {
				return
			}
			if v.Expr != "" && readsParent.MatchString(v.Expr) {
				paths = append(paths, path)
			}
			for _, f := range v.Fields {
				walk(f.Value, path+"."+f.Name)
			}
			for _, it := range v.Items {
				walk(it, path+"[]")
			}
		}
		walk(e.ID, "id")
		walk(e.Properties, "properties")
		if len(paths) > 0 {
			out[e.Name] = paths
		}
	}
	return out
}
