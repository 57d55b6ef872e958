package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/bulkload/bulkload/record"
	"github.com/bulkload/bulkload/spec"
)

// PayloadsDir is the run directory's folder of request bodies.
const PayloadsDir = "payloads"

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

// Payloads writes payloads/: the exact request bodies a run would send for the valid records,
// and an index naming each body's method, URL, content type and records. On Key: import batches
// of batch_size records, one group per batch, groups in groupOrder, a file each. Onix Work: one
// body per record, parents before children (by the depth of the entity under its parents), one
// line each in a JSONL file per entity. Within a group or depth the records keep their order.
// The records of the first group (depth) are written as they come; those of the others wait in
// a file per group (depth) until the stream ends. The folder appears whole or not at all: it is
// written under a temporary name and renamed in place of the one before by Close.
type Payloads struct {
	dir, tmp string
	job      *spec.Job
	sum      *PayloadSummary
	onKey    bool
	depth    map[string]int // Onix Work: entity -> how many parents above it
	first    int            // the group (depth) written as it comes
	buckets  map[int]*bucket

	indexFile *os.File
	index     *bufio.Writer
	enc       *json.Encoder
	files     appenders

	// On Key: the batch being filled, of group; n batches written; body, the memory of the
	// last batch's request, built again in place for the next.
	batch     []record.Entry
	group, n  int
	body      []byte
	onixNames map[string]string // Onix Work: entity -> its file, numbered in the order calls begin
}

var _ Writer = (*Payloads)(nil)

// NewPayloads starts payloads/ in dir for job's valid records, counting into sum.
func NewPayloads(dir string, job *spec.Job, sum *PayloadSummary) (*Payloads, error) {
	p := &Payloads{dir: dir, tmp: filepath.Join(dir, TmpPrefix+PayloadsDir), job: job, sum: sum,
		onKey: job.Target.Kind == spec.OnKey, buckets: map[int]*bucket{}, onixNames: map[string]string{}}
	if err := os.RemoveAll(p.tmp); err != nil {
		return nil, fmt.Errorf("payloads: %w", err)
	}
	if err := os.MkdirAll(p.tmp, 0o755); err != nil {
		return nil, fmt.Errorf("payloads: %w", err)
	}
	p.files.dir = p.tmp
	if p.onKey {
		for i, e := range job.Entities {
			if i == 0 || e.GroupOrder < p.first {
				p.first = e.GroupOrder
			}
		}
	} else {
		p.depth = entityDepths(job) // the first depth is 0: an entity no parent is above
	}
	f, err := os.Create(filepath.Join(p.tmp, "index.jsonl"))
	if err != nil {
		os.RemoveAll(p.tmp)
		return nil, fmt.Errorf("payloads: %w", err)
	}
	p.indexFile, p.index = f, bufio.NewWriterSize(f, 64<<10)
	p.enc = json.NewEncoder(p.index)
	p.enc.SetEscapeHTML(false)
	return p, nil
}

// Write adds r's body when r is valid.
func (p *Payloads) Write(r *record.Entry) error {
	if r.Status != record.Valid {
		return nil
	}
	key := r.GroupOrder
	if !p.onKey {
		key = p.depth[r.Entity]
	}
	if key == p.first {
		return p.emit(r.UserObjectID, r.Entity, r.Endpoint, r.GroupOrder, r.Body)
	}
	if key < p.first {
		return fmt.Errorf("payloads: record %q of group %d, before the job's first group %d", r.UserObjectID, key, p.first)
	}
	b := p.buckets[key]
	if b == nil {
		var err error
		if b, err = newBucket(filepath.Join(p.tmp, fmt.Sprintf(".group-%d", key))); err != nil {
			return fmt.Errorf("payloads: %w", err)
		}
		p.buckets[key] = b
	}
	return b.add(r.UserObjectID, r.Entity, r.Endpoint, r.GroupOrder, r.Body)
}

// emit adds one record's body to the requests, in the order they are to be sent.
func (p *Payloads) emit(uoid, entity, endpoint string, group int, body []byte) error {
	if !p.onKey {
		name, ok := p.onixNames[entity]
		if !ok {
			name = fmt.Sprintf("%02d-%s.jsonl", len(p.onixNames)+1, slug(endpoint))
			p.onixNames[entity] = name
		}
		b, line := onixRequest(p.job, endpoint, uoid, body)
		n, err := p.files.append(name, b, '\n')
		if err != nil {
			return fmt.Errorf("payloads: %w", err)
		}
		line.Line = n
		return p.indexed(name, line, 1)
	}
	if group != p.group || len(p.batch) == max(p.job.Submit.BatchSize, 1) {
		if err := p.flushBatch(); err != nil {
			return err
		}
		p.group = group
	}
	p.batch = append(p.batch, record.Entry{UserObjectID: uoid, Body: body})
	return nil
}

// flushBatch writes the On Key batch being filled, if any, to a file of its own.
func (p *Payloads) flushBatch() error {
	if len(p.batch) == 0 {
		return nil
	}
	p.n++
	name := fmt.Sprintf("%04d-group%d.json", p.n, p.group)
	var line payloadIndexLine
	p.body, line = onKeyRequest(p.body, p.job, p.batch)
	clear(p.batch)
	p.batch = p.batch[:0]
	if err := os.WriteFile(filepath.Join(p.tmp, name), p.body, 0o644); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	return p.indexed(name, line, len(line.UserObjectIDs))
}

func (p *Payloads) indexed(name string, line payloadIndexLine, records int) error {
	line.File = name
	p.sum.Requests++
	p.sum.Records += records
	if err := p.enc.Encode(line); err != nil {
		return fmt.Errorf("payloads: %w", err)
	}
	return nil
}

// Close writes the waiting groups in order and puts the folder in place.
func (p *Payloads) Close() error {
	err := p.drain()
	if err == nil {
		err = p.flushBatch()
	}
	err = errors.Join(err, p.files.close())
	if err == nil {
		err = p.index.Flush()
	}
	err = errors.Join(err, p.indexFile.Close())
	p.indexFile = nil
	if err == nil {
		err = ReplaceDir(p.tmp, filepath.Join(p.dir, PayloadsDir))
	}
	if err != nil {
		p.Abort()
		return fmt.Errorf("payloads: %w", err)
	}
	return nil
}

// drain emits the records of the waiting groups (depths), in the order of their keys.
func (p *Payloads) drain() error {
	keys := make([]int, 0, len(p.buckets))
	for k := range p.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b := p.buckets[k]
		delete(p.buckets, k)
		if err := b.each(p.emit); err != nil {
			return fmt.Errorf("payloads: %w", err)
		}
	}
	return nil
}

// Abort removes the folder being written.
func (p *Payloads) Abort() {
	for _, b := range p.buckets {
		b.discard()
	}
	p.files.close()
	if p.indexFile != nil {
		p.indexFile.Close()
	}
	os.RemoveAll(p.tmp)
}

// entityDepths gives each entity of job the number of parents above it.
func entityDepths(job *spec.Job) map[string]int {
	out := map[string]int{}
	for _, e := range job.Entities {
		depth := 0
		for p := e.Parent; p != nil && depth < len(job.Entities); depth++ {
			pe, ok := job.Entity(p.Entity)
			if !ok {
				break
			}
			p = pe.Parent
		}
		out[e.Name] = depth
	}
	return out
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// slug turns an endpoint into a file-name part: "/v1/order-lines/items" -> "order-lines-items".
func slug(endpoint string) string {
	s := strings.TrimPrefix(strings.Trim(endpoint, "/"), "v1/")
	return strings.Trim(unsafeChars.ReplaceAllString(s, "-"), "-")
}
