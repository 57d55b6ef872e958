package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// bulkOptions are the query options of a bulk request (seed 004).
type bulkOptions struct {
	perRecord   bool // mode=PerRecord; default AllOrNone
	ordered     bool // ordered=true: by ascending groupOrder
	async       bool // async=true: run as a background task
	priority    int  // priority= (default 100)
	description string
}

// parseBulkOptions reads mode, ordered, async, priority and description (names and values are
// case-insensitive).
func parseBulkOptions(q url.Values) (bulkOptions, error) {
	opts := bulkOptions{priority: 100}
	get := func(name string) (string, bool) {
		for k, v := range q {
			if strings.EqualFold(k, name) && len(v) > 0 {
				return v[0], true
			}
		}
		return "", false
	}
	if m, ok := get("mode"); ok {
		switch strings.ToLower(m) {
		case "allornone":
		case "perrecord":
			opts.perRecord = true
		default:
			return opts, fmt.Errorf("mode %q is not AllOrNone or PerRecord", m)
		}
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"ordered", &opts.ordered}, {"async", &opts.async}} {
		if v, ok := get(b.name); ok {
			x, err := strconv.ParseBool(v)
			if err != nil {
				return opts, fmt.Errorf("%s=%q is not true or false", b.name, v)
			}
			*b.dst = x
		}
	}
	if v, ok := get("priority"); ok {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 {
			return opts, fmt.Errorf("priority=%q is not a positive number", v)
		}
		opts.priority = p
	}
	opts.description, _ = get("description")
	return opts, nil
}

// processingOrder is the order ops are applied in: body order, or with ordered by ascending
// groupOrder, body order within a group.
func processingOrder(ops []*op, ordered bool) []int {
	idx := make([]int, len(ops))
	for i := range idx {
		idx[i] = i
	}
	if ordered {
		slices.SortStableFunc(idx, func(a, b int) int { return int(sign(ops[a].group - ops[b].group)) })
	}
	return idx
}

// applyOne applies o in its own transaction (PerRecord).
func (s *Server) applyOne(o *op) result {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.begin()
	res := t.apply(o)
	if res.failed() {
		t.rollback()
	}
	return res
}

// applyAll applies ops in order in one transaction (AllOrNone): when any fails, all are rolled
// back. The results are in the ops' order; failed counts the records that failed.
func (s *Server) applyAll(ops []*op, order []int) (results []result, failed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.begin()
	results = make([]result, len(ops))
	for _, i := range order {
		results[i] = t.apply(ops[i])
		if results[i].failed() {
			failed++
		}
	}
	if failed > 0 {
		t.rollback()
	}
	return results, failed
}

// executeBulk runs ops as opts say and answers: PerRecord 200 with every record's result (in
// the shape cfg.Answers says);
// AllOrNone 200 with every result when all succeeded, else 400 with a notification of the
// failed records' messages and a general CodeRolledBack message; async 202 with the task headers.
func (s *Server) executeBulk(w http.ResponseWriter, ops []*op, opts bulkOptions, entry *Request) {
	if opts.async {
		t := s.startTask(ops, opts)
		s.noteEntry(entry, func(e *Request) { e.BackgroundTaskID = t.id })
		id := strconv.FormatInt(t.id, 10)
		w.Header().Set("OnKey-Request-Id", id)
		w.Header().Set("OnKey-Request-Location", s.taskLocation(t.id))
		w.WriteHeader(http.StatusAccepted)
		return
	}
	order := processingOrder(ops, opts.ordered)
	if opts.perRecord {
		results := make([]result, len(ops))
		for _, i := range order {
			results[i] = s.applyOne(ops[i])
		}
		s.writePerRecord(w, results)
		return
	}
	results, failed := s.applyAll(ops, order)
	if failed == 0 {
		writeJSON(w, http.StatusOK, contentJSON, results)
		return
	}
	var msgs []message
	for _, res := range results {
		if res.failed() {
			msgs = append(msgs, res.Messages...)
		}
	}
	msgs = append(msgs, errMsg(CodeRolledBack, fmt.Sprintf("%d of %d records failed; mode=AllOrNone rolled the whole request back: no record was applied.", failed, len(ops))))
	writeNotification(w, http.StatusBadRequest, msgs...)
}

// requireContentType answers 415 and returns false unless r's content type is want.
func requireContentType(w http.ResponseWriter, r *http.Request, want ...string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	for _, ct := range want {
		if err == nil && strings.EqualFold(mt, ct) {
			return true
		}
	}
	writeNotification(w, http.StatusUnsupportedMediaType, errMsg(CodeUnsupportedMedia,
		fmt.Sprintf("The content type %q is not supported here; use %s.", r.Header.Get("Content-Type"), strings.Join(want, " or "))))
	return false
}

// readArray reads r's body as a JSON array of objects (numbers kept as json.Number), answering
// 413 or 400 and returning false when it cannot.
// readOps reads a bulk request: its query options and its body, a JSON array whose elements
// decode turns into ops. A bad option, body or element is answered with 400 (naming the
// element) and ok is false.
func (s *Server) readOps(w http.ResponseWriter, r *http.Request, decode func(map[string]any) (*op, error)) (bulkOptions, []*op, bool) {
	opts, err := parseBulkOptions(r.URL.Query())
	if err != nil {
		writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, err.Error()))
		return opts, nil, false
	}
	items, ok := s.readArray(w, r)
	if !ok {
		return opts, nil, false
	}
	ops := make([]*op, len(items))
	for i, item := range items {
		if ops[i], err = decode(item); err != nil {
			writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, fmt.Sprintf("Element %d: %v.", i, err)))
			return opts, nil, false
		}
	}
	return opts, ops, true
}

func (s *Server) readArray(w http.ResponseWriter, r *http.Request) ([]map[string]any, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeNotification(w, http.StatusRequestEntityTooLarge, errMsg(CodeTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", tooLarge.Limit)))
		return nil, false
	}
	if err != nil {
		writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, "Reading the request body failed: "+err.Error()))
		return nil, false
	}
	var raw []json.RawMessage
	if err := unmarshalNumbers(b, &raw); err != nil {
		writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, "The request body is not a JSON array: "+err.Error()))
		return nil, false
	}
	items := make([]map[string]any, len(raw))
	for i, e := range raw {
		if err := unmarshalNumbers(e, &items[i]); err != nil || items[i] == nil {
			writeNotification(w, http.StatusBadRequest, errMsg(CodeInvalidRequest, fmt.Sprintf("Element %d of the request body is not a JSON object.", i)))
			return nil, false
		}
	}
	return items, true
}

func unmarshalNumbers(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// userObjectID reads an element's userObjectId (a non-empty string or a number): the raw JSON
// to echo, and its text.
func userObjectID(item map[string]any) (json.RawMessage, string, bool) {
	v, ok := field(item, "userObjectId")
	if !ok {
		return nil, "", false
	}
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return nil, "", false
		}
	case json.Number:
	default:
		return nil, "", false
	}
	raw, _ := json.Marshal(v)
	return raw, valueString(v), true
}

// checkUnique answers 400 naming the first userObjectId given twice, and returns false.
func checkUnique(w http.ResponseWriter, ops []*op) bool {
	seen := map[string]int{}
	for i, o := range ops {
		if o.key == "" {
			continue
		}
		if j, dup := seen[o.key]; dup {
			m := errMsg(CodeDuplicateUOID, fmt.Sprintf("The userObjectId %q is used by elements %d and %d; it must be unique within the request.", o.key, j, i))
			m.UserObjectID = o.uoid
			writeNotification(w, http.StatusBadRequest, m)
			return false
		}
		seen[o.key] = i
	}
	return true
}
