package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/runstore"
	"github.com/bulkload/bulkload/spec"
	"github.com/bulkload/bulkload/targets"
	"github.com/bulkload/bulkload/targets/onixwork"
	"github.com/bulkload/bulkload/targets/onkey"
)

// payloadIndexLine describes one request body in payloads/index.jsonl.
type payloadIndexLine struct {
	File string `json:"file"`
	// Line is the body's line in File, for files of one body per line (Onix Work).
	Line          int      `json:"line,omitempty"`
	Method        string   `json:"method"`
	URL           string   `json:"url"`
	ContentType   string   `json:"contentType"`
	UserObjectIDs []string `json:"userObjectIds"`
}

// writePayloads writes the exact request bodies a run would send for the valid records, and an
// index naming each body's method, URL, content type and records. On Key: import batches of
// batch_size records, one group per batch, groups in groupOrder, a file each. Onix Work: one
// body per record, parents before children, one line each in a JSONL file per entity (a file per
// call would be hundreds of thousands of files). The folder appears whole or not at all: it is
// written under a temporary name and renamed in place of the one before.
func writePayloads(ctx context.Context, dir string, job *spec.Job, store *Store, sum *Summary) error {
	tmp := filepath.Join(dir, tmpPrefix+PayloadsDir)
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	if err := writePayloadsInto(ctx, tmp, job, store, sum); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := replaceDir(tmp, filepath.Join(dir, PayloadsDir)); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	return nil
}

// writePayloadsInto writes the payloads (see writePayloads) into the new folder pdir.
func writePayloadsInto(ctx context.Context, pdir string, job *spec.Job, store *Store, sum *Summary) (err error) {
	if err := os.MkdirAll(pdir, 0o755); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	f, err := os.Create(filepath.Join(pdir, "index.jsonl"))
	if err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	defer closeInto(f, &err)
	index := bufio.NewWriter(f)
	enc := json.NewEncoder(index)
	enc.SetEscapeHTML(false)
	sum.Payloads = &PayloadSummary{}
	files := &appenders{dir: pdir}
	defer func() { err = errors.Join(err, files.close()) }()
	emit := func(name string, body []byte, line payloadIndexLine) error {
		n, err := files.append(name, body)
		if err != nil {
			return err
		}
		line.File = name
		if strings.HasSuffix(name, ".jsonl") {
			line.Line = n
		}
		sum.Payloads.Requests++
		sum.Payloads.Records += len(line.UserObjectIDs)
		return enc.Encode(line)
	}
	if job.Target.Kind == spec.OnKey {
		err = writeOnKeyBatches(ctx, job, store, emit)
	} else {
		err = writeOnixBodies(ctx, job, store, emit)
	}
	if err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	return index.Flush()
}

// emitFunc appends one request body to the payload file name and indexes it.
type emitFunc func(name string, body []byte, line payloadIndexLine) error

// appenders are the open payload files, each written through a buffer.
type appenders struct {
	dir   string
	files map[string]*appender
}

type appender struct {
	f     *os.File
	w     *bufio.Writer
	lines int
}

// append adds body to the file name (created on first use) and returns how many bodies the file
// then holds.
func (a *appenders) append(name string, body []byte) (int, error) {
	ap, ok := a.files[name]
	if !ok {
		f, err := os.Create(filepath.Join(a.dir, name))
		if err != nil {
			return 0, err
		}
		if a.files == nil {
			a.files = map[string]*appender{}
		}
		ap = &appender{f: f, w: bufio.NewWriter(f)}
		a.files[name] = ap
	}
	ap.lines++
	_, err := ap.w.Write(body)
	return ap.lines, err
}

func (a *appenders) close() error {
	var errs []error
	for _, ap := range a.files {
		errs = append(errs, ap.w.Flush(), ap.f.Close())
	}
	return errors.Join(errs...)
}

// writeOnKeyBatches writes the import batches a run would send, with the builder a run sends
// them with (onkey.Import).
func writeOnKeyBatches(ctx context.Context, job *spec.Job, store *Store, emit emitFunc) error {
	size := max(job.Submit.BatchSize, 1)
	var batch []record.Entry
	group, n := 0, 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n++
		call := onkey.Import(job.Target, job.Submit, batch)
		ids := make([]string, len(batch))
		for i, e := range batch {
			ids[i] = e.UserObjectID
		}
		err := emit(fmt.Sprintf("%04d-group%d.json", n, group), call.Body, indexLine(call, ids))
		batch = batch[:0]
		return err
	}
	err := store.Bodies(ctx, runstore.Selection{Statuses: []record.Status{record.Valid}, Order: runstore.ByGroup}, func(r Sendable) error {
		if r.GroupOrder != group || len(batch) == size {
			if err := flush(); err != nil {
				return err
			}
			group = r.GroupOrder
		}
		r.Body = bytes.Clone(r.Body)
		batch = append(batch, r.Entry())
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// writeOnixBodies writes the calls a run would make, parents before children, with the builder
// a run sends them with (onixwork.Post).
func writeOnixBodies(ctx context.Context, job *spec.Job, store *Store, emit emitFunc) error {
	names := map[string]string{} // entity -> its file, numbered in the order calls begin
	return store.Bodies(ctx, runstore.Selection{Statuses: []record.Status{record.Valid}, Order: runstore.ByDepth(entityDepths(job))}, func(r Sendable) error {
		name, ok := names[r.Entity]
		if !ok {
			name = fmt.Sprintf("%02d-%s.jsonl", len(names)+1, slug(r.Endpoint))
			names[r.Entity] = name
		}
		call := onixwork.Post(job.Target.URL, r.Entry())
		return emit(name, append(bytes.Clone(call.Body), '\n'), indexLine(call, []string{r.UserObjectID}))
	})
}

// indexLine is the index line of a request built for the records uoids.
func indexLine(c targets.Call, uoids []string) payloadIndexLine {
	return payloadIndexLine{Method: c.Method, URL: c.URL, ContentType: c.ContentType, UserObjectIDs: uoids}
}

// entityDepths gives each entity of job the number of parent entities above it: ordered by it,
// each entity comes after its parent entity.
func entityDepths(job *spec.Job) map[string]int {
	depths := make(map[string]int, len(job.Entities))
	for _, e := range job.Entities {
		depth := 0
		for p := e.Parent; p != nil && depth < len(job.Entities); depth++ {
			pe, ok := job.Entity(p.Entity)
			if !ok {
				break
			}
			p = pe.Parent
		}
		depths[e.Name] = depth
	}
	return depths
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// slug turns an endpoint into a file-name part: "/v1/order-lines/items" -> "order-lines-items".
func slug(endpoint string) string {
	s := strings.TrimPrefix(strings.Trim(endpoint, "/"), "v1/")
	return strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-")
}
