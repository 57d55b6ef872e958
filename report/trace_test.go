package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// traceSites is the CSV source of traceJob: description is built from two columns.
const traceSites = "code,name,town,site_type\nS1,East,Joburg,NOPE\nS2,West,Cape Town,OK\n"

// traceJob reads sites.csv and, when blocks is set, the Sites sheet of a workbook too.
func traceJob(t *testing.T, blocks bool) *spec.Job {
	t.Helper()
	dir := t.TempDir()
	job := "version: 1\nname: trace\ntarget: {kind: onkey, url: \"http://127.0.0.1:1\", tenant: t, connection: c}\nsources:\n" +
		"  - {name: sites, file: sites.csv, schema: any.schema.json}\n"
	entities := "entities:\n  - {name: site, source: sites, entityType: Site, action: Create, id: code(row.code), userObjectId: row.code, " +
		"properties: {code: row.code, description: 'row.name + \" \" + row.town', siteTypeId: row.site_type}}\n"
	files := map[string]string{"sites.csv": traceSites, "any.schema.json": `{"type": "object"}`}
	if blocks {
		job += "  - {name: blocks, file: header-rows.xlsx, sheet: Sites, schema: any.schema.json}\n"
		entities += "  - {name: block, source: blocks, entityType: Block, action: Create, userObjectId: row.Code, " +
			"properties: {description: row.Description}}\n"
		b, err := os.ReadFile(filepath.Join("..", "readers", "testdata", "headers", "header-rows.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		files["header-rows.xlsx"] = string(b)
	}
	files["job.yaml"] = job + entities
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	j, err := spec.Load(filepath.Join(dir, "job.yaml"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// traceLine renders a message with every field tracing sets: field|property|cell|value|line|text.
func traceLine(m record.Message) string {
	return fmt.Sprintf("%s|%s|%s|%s|%d|%s", m.Field, m.Property, m.Cell, m.Value, m.Line, m.Text)
}

// TestTracerEntries traces a slice of entries as a run's reports see them: an answered record's
// server messages go on the cells of its first row, read again from its source; records the
// server did not answer, messages already on a cell and messages about no property stay as they
// are; and the entries given are never changed.
func TestTracerEntries(t *testing.T) {
	server := func(property, text string) record.Message {
		return record.Message{Code: "C", Property: property, Text: text}
	}
	site := func(uoid, origin string, status record.Status, ms ...record.Message) record.Entry {
		return record.Entry{UserObjectID: uoid, Entity: "site", EntityType: "Site", Source: "sites", Origin: origin, Status: status, Messages: ms}
	}
	onCell := record.Message{Code: "type", Property: "site_type", Cell: "sites.csv:3:site_type", Line: 3, Text: "typed"}
	tests := []struct {
		name    string
		blocks  bool // the job reads a workbook too: two files
		entries []record.Entry
		want    []string // uoid: traceLine of each message
	}{
		{name: "a property built from two columns", entries: []record.Entry{
			site("S1", "sites.csv:2", record.Failed, server("Site->Description", "too long"))},
			want: []string{"S1: Site->Description|name|sites.csv:2:name|East|2|too long",
				"S1: Site->Description|town|sites.csv:2:town|Joburg|2|too long"}},
		{name: "a property path in the text of a succeeded record", entries: []record.Entry{
			site("S2", "sites.csv:3", record.Succeeded, server("", "no match for {Site->SiteType_Id}"))},
			want: []string{"S2: Site->SiteType_Id|site_type|sites.csv:3:site_type|OK|3|no match for {Site->SiteType_Id}"}},
		{name: "the messages around a traced one keep their order", entries: []record.Entry{
			site("S1", "sites.csv:2", record.Unknown, server("", "first"), server("siteTypeId", "bad"), server("", "last"))},
			want: []string{"S1: ||||0|first", "S1: siteTypeId|site_type|sites.csv:2:site_type|NOPE|2|bad", "S1: ||||0|last"}},
		{name: "a property no column builds", entries: []record.Entry{
			site("S1", "sites.csv:2", record.Failed, server("Site->Currency_Id", "required"))},
			want: []string{"S1: Site->Currency_Id|Site->Currency_Id|||0|required (bulkload found no source column for Site->Currency_Id)"}},
		{name: "a row not in the source", entries: []record.Entry{
			site("S9", "sites.csv:9", record.Failed, server("Site->SiteType_Id", "bad"))},
			want: []string{"S9: Site->SiteType_Id|site_type|||0|bad"}},
		{name: "records the server did not answer, and a message on its cell", entries: []record.Entry{
			site("S1", "sites.csv:2", record.Invalid, server("description", "required")),
			site("S2", "sites.csv:3", record.Failed, onCell, server("Site->SiteType_Id", "bad"))},
			want: []string{"S1: |description|||0|required", "S2: |site_type|sites.csv:3:site_type||3|typed",
				"S2: Site->SiteType_Id|site_type|sites.csv:3:site_type|OK|3|bad"}},
		{name: "two files: an XLSX cell names its workbook", blocks: true, entries: []record.Entry{
			{UserObjectID: "S-002", Entity: "block", EntityType: "Block", Source: "blocks", Origin: "header-rows.xlsx Sites!3",
				Status: record.Failed, Messages: []record.Message{server("Block->Description", "required")}},
			site("S1", "sites.csv:2", record.Failed, server("Site", "exists"))},
			want: []string{"S-002: Block->Description|Description|header-rows.xlsx Sites!B3||3|required",
				"S1: Site|code|sites.csv:2:code|S1|2|exists"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job := traceJob(t, tt.blocks)
			given := cloneEntries(tt.entries)
			tr, err := NewTracer(t.Context(), job, Slice(tt.entries))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = tr.Each(Slice(tt.entries))(func(e *record.Entry) error {
				for _, m := range e.Messages {
					got = append(got, e.UserObjectID+": "+traceLine(m))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("traced:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if !reflect.DeepEqual(tt.entries, given) {
				t.Errorf("the entries given were changed:\n%+v\nwere\n%+v", tt.entries, given)
			}
		})
	}
}

func cloneEntries(es []record.Entry) []record.Entry {
	out := slices.Clone(es)
	for i := range out {
		out[i].Messages = slices.Clone(out[i].Messages)
	}
	return out
}

// TestNewTracer covers the Tracers that read nothing and the errors NewTracer returns.
func TestNewTracer(t *testing.T) {
	answered := []record.Entry{{UserObjectID: "S1", Entity: "site", EntityType: "Site", Source: "sites", Origin: "sites.csv:2",
		Status: record.Failed, Messages: []record.Message{{Code: "C", Property: "siteTypeId", Text: "bad"}}}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	broken := errors.New("the store could not be read")
	tests := []struct {
		name     string
		ctx      context.Context
		answered Each
		wantNil  bool
		wantErr  error
	}{
		{name: "no server message: nil", ctx: context.Background(), wantNil: true, answered: Slice([]record.Entry{
			{UserObjectID: "S1", Source: "sites", Origin: "sites.csv:2", Status: record.Failed, Messages: []record.Message{{Code: "type", Cell: "sites.csv:2:code", Line: 2, Text: "x"}}},
			{UserObjectID: "S2", Source: "sites", Origin: "sites.csv:3", Status: record.Valid, Messages: []record.Message{{Code: "C", Property: "siteTypeId", Text: "x"}}}})},
		{name: "a server message", ctx: context.Background(), answered: Slice(answered)},
		{name: "the stream's error", ctx: context.Background(), wantNil: true, wantErr: broken,
			answered: func(func(*record.Entry) error) error { return broken }},
		{name: "cancelled while reading the source", ctx: cancelled, wantNil: true, wantErr: context.Canceled, answered: Slice(answered)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := NewTracer(tt.ctx, traceJob(t, false), tt.answered)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if (tr == nil) != tt.wantNil {
				t.Fatalf("tracer %v, want nil %v", tr, tt.wantNil)
			}
			if tr != nil {
				return
			}
			// A nil Tracer gives the entries as they are.
			es := cloneEntries(answered)
			var got []*record.Entry
			if err := tr.Each(Slice(es))(func(e *record.Entry) error { got = append(got, e); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0] != &es[0] || !reflect.DeepEqual(*got[0], answered[0]) {
				t.Errorf("a nil Tracer changed the entries: %+v", got)
			}
		})
	}
}

// TestTracerSourceGone: a source moved since the run leaves the messages on their columns.
func TestTracerSourceGone(t *testing.T) {
	job := traceJob(t, false)
	src, _ := job.Source("sites")
	if err := os.Remove(src.File); err != nil {
		t.Fatal(err)
	}
	es := []record.Entry{{UserObjectID: "S1", Entity: "site", EntityType: "Site", Source: "sites", Origin: "sites.csv:2",
		Status: record.Failed, Messages: []record.Message{{Code: "C", Property: "Site->SiteType_Id", Text: "bad"}}}}
	tr, err := NewTracer(t.Context(), job, Slice(es))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	_ = tr.Each(Slice(es))(func(e *record.Entry) error {
		for _, m := range e.Messages {
			got = append(got, traceLine(m))
		}
		return nil
	})
	if want := []string{"Site->SiteType_Id|site_type|||0|bad"}; !slices.Equal(got, want) {
		t.Errorf("traced %q, want %q", got, want)
	}
}
